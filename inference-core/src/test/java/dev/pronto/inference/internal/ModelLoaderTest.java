package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.pmml.PmmlPipelineProvider;
import dev.pronto.inference.spi.ObjectInfo;
import dev.pronto.inference.spi.ObjectStream;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.testing.ConformanceCorpus;

/** The loader against a storage that says one thing about an object and delivers another. */
class ModelLoaderTest {

    private static final byte[] IRIS = ConformanceCorpus.cases().get(0).model();
    private static final ModelCache.Key KEY = new ModelCache.Key(ModelLocation.parse("iris.pmml"), "pmml");

    private final ShiftyStorage storage = new ShiftyStorage();
    private final ProviderRegistry registry = new ProviderRegistry(List.of(storage), List.of(new PmmlPipelineProvider()),
            null, Map.of());
    private final ModelLoader loader = new ModelLoader(registry, 1 << 20);

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void readsThroughOpenObjectAndRecordsTheVersionOfTheBytesRead() {
        storage.announcedSize = IRIS.length;

        LoadedModel model = loader.load(KEY);

        assertThat(storage.openObjectCalls).hasValue(1);
        assertThat(storage.statCalls).hasValue(0);
        assertThat(model.info().version()).isEqualTo("opened");
        assertThat(model.info().sizeBytes()).isEqualTo(IRIS.length);
    }

    @Test
    void bytesThatDoNotMatchTheAnnouncedSizeAreRefusedAsRetryable() {
        storage.announcedSize = IRIS.length + 1;

        assertThatThrownBy(() -> loader.load(KEY))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE))
                .hasMessage("model \"file:iris.pmml\": read " + IRIS.length + " bytes where the storage announced "
                        + (IRIS.length + 1) + "; the object changed while it was read or the transfer was cut, try again");
    }

    @Test
    void anUnchangedVersionIsCheckedWithAStatAlone() {
        storage.announcedSize = IRIS.length;
        LoadedModel model = loader.load(KEY);
        storage.statVersion = "opened";

        assertThat(loader.reloadIfChanged(KEY, model)).isSameAs(model);
        assertThat(storage.openObjectCalls).hasValue(1);
    }

    /** Serves the iris model under the scheme {@code file}, announcing whatever size the test sets. */
    private static final class ShiftyStorage implements StorageProvider, Storage {
        final AtomicInteger statCalls = new AtomicInteger();
        final AtomicInteger openObjectCalls = new AtomicInteger();
        volatile long announcedSize;
        volatile String statVersion = "statted";

        @Override
        public String name() {
            return "shifty";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("file");
        }

        @Override
        public Storage create(Map<String, String> properties) {
            return this;
        }

        @Override
        public ObjectInfo stat(ModelLocation location) {
            statCalls.incrementAndGet();
            return new ObjectInfo(IRIS.length, Instant.EPOCH, statVersion);
        }

        @Override
        public InputStream open(ModelLocation location) {
            throw new AssertionError("the loader reads through openObject");
        }

        @Override
        public ObjectStream openObject(ModelLocation location) throws IOException {
            openObjectCalls.incrementAndGet();
            return new ObjectStream(new ByteArrayInputStream(IRIS), new ObjectInfo(announcedSize, Instant.EPOCH, "opened"), null);
        }
    }
}
