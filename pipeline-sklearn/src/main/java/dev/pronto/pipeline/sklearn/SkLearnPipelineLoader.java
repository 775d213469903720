package dev.pronto.pipeline.sklearn;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.ConvertedModel;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.toolkit.Checksums;
import dev.pronto.inference.spi.ScoringNote;

/**
 * Loads a pickle by converting it to PMML (or finding an earlier conversion in the store) and
 * handing the document to the PMML pipeline, so verification, warm-up and schema are exactly those
 * of a {@code .pmml} file. Thread-safe.
 */
final class SkLearnPipelineLoader implements PipelineLoader {

    private static final Logger log = LoggerFactory.getLogger(SkLearnPipelineLoader.class);

    private final PipelineLoader pmmlLoader;
    private final Optional<ConvertedPmmlStore> store;
    private final List<String> defaultNames;
    /** Per-model names by canonical location text. */
    private final Map<String, List<String>> namesByLocation;
    private final long maxUncompressedBytes;
    private final AtomicLong conversions = new AtomicLong();

    SkLearnPipelineLoader(PipelineLoader pmmlLoader, Optional<ConvertedPmmlStore> store, List<String> defaultNames,
            Map<String, List<String>> namesByLocation, long maxUncompressedBytes) {
        this.pmmlLoader = pmmlLoader;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.store = store;
        this.defaultNames = List.copyOf(defaultNames);
        this.namesByLocation = Map.copyOf(namesByLocation);
    }

    @Override
    public Pipeline load(ModelSource source) {
        PickleConverter.InputNames names = namesFor(source);
        String key = storeKey(source.sha256(), names.names());
        if (store.isPresent()) {
            Optional<byte[]> stored = store.get().get(key);
            if (stored.isPresent()) {
                try {
                    return loadPmml(source, stored.get());
                } catch (InferenceException e) {
                    // a damaged or foreign file: convert again rather than fail a model that is fine
                    log.warn("converted PMML of {} does not load ({}); converting again", source.location(), e.getMessage());
                    store.get().remove(key);
                }
            }
        }
        byte[] pmml;
        long started = System.nanoTime();
        try {
            pmml = PickleConverter.convert(source.openStream(), names, maxUncompressedBytes);
        } catch (PickleConverter.ConversionException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + source.location()
                    + "\" cannot be loaded as a scikit-learn pickle: " + e.getMessage(), e);
        }
        conversions.incrementAndGet();
        log.info("converted scikit-learn pickle {} (sha256 {}) to PMML with pmml-sklearn {} in {} ms", source.location(),
                source.sha256(), PickleConverter.CONVERTER_VERSION, (System.nanoTime() - started) / 1_000_000);
        Pipeline pipeline = loadPmml(source, pmml);
        store.ifPresent(s -> s.put(key, pmml));
        return pipeline;
    }

    /** How many pickles this loader converted (store hits do not count); for tests. */
    long conversions() {
        return conversions.get();
    }

    private Pipeline loadPmml(ModelSource pickle, byte[] pmml) {
        Pipeline evaluated = pmmlLoader.load(new ModelSource(pickle.location(), pmml, Checksums.sha256Hex(pmml)));
        return new ConvertedPipeline(evaluated, pmml);
    }

    private PickleConverter.InputNames namesFor(ModelSource source) {
        String location = source.location().toString();
        String modelKey = SkLearnPipelineProvider.NAMES_PREFIX_KEY + location;
        List<String> own = namesByLocation.get(location);
        if (own != null) {
            return new PickleConverter.InputNames(own, modelKey, modelKey);
        }
        return new PickleConverter.InputNames(defaultNames, SkLearnPipelineProvider.DEFAULT_NAMES_KEY, modelKey);
    }

    /**
     * The pickle's checksum, plus a digest of the configured names when there are any: the same
     * pickle named differently converts to a different document.
     */
    static String storeKey(String pickleSha256, List<String> names) {
        if (names.isEmpty()) {
            return pickleSha256;
        }
        return pickleSha256 + "-names-" + Checksums.sha256Hex(String.join("\n", names).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The PMML pipeline, plus the document it was built from, offered as a {@link ConvertedModel}. */
    private static final class ConvertedPipeline implements Pipeline, ConvertedModel, ScoringNote {

        private final Pipeline delegate;
        private final byte[] pmml;

        ConvertedPipeline(Pipeline delegate, byte[] pmml) {
            this.delegate = delegate;
            this.pmml = pmml;
        }

        @Override
        public ModelSchema schema() {
            return delegate.schema();
        }

        @Override
        public Prediction predict(Map<String, ?> record) {
            return delegate.predict(record);
        }

        @Override
        public String scoringNote() {
            return delegate instanceof ScoringNote note ? note.scoringNote() : "";
        }

        @Override
        public byte[] convertedPmml() {
            return pmml.clone();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
