package dev.pronto.inference.pmml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventHandler;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.model.PMMLException;
import org.jpmml.model.filters.ImportFilter;
import org.jpmml.model.filters.PMMLFilter;
import org.xml.sax.SAXException;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.pmml.compiled.CompiledScorer;
import dev.pronto.inference.pmml.compiled.Compilation;
import dev.pronto.inference.pmml.compiled.ModelCompiler;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;

/**
 * Parses PMML safely, builds and verifies a jpmml evaluator, and warms it up.
 *
 * <p>XML safety comes from jpmml-model's parser settings, which this class relies on and the tests
 * prove: DOCTYPE declarations are refused outright, so neither external entities (XXE) nor entity
 * expansion (billion laughs) can be expressed, and no file or network is touched while parsing.
 */
final class PmmlPipelineLoader implements PipelineLoader {

    static final int DEFAULT_WARMUP_EVALUATIONS = 2_000;
    /**
     * JAXB's default decisions (go on after a warning, stop at an error) without its default's
     * printing to standard output: a refused model is reported by the exception, and a line per bad
     * file on the console would break the server's JSON log lines.
     */
    private static final ValidationEventHandler SILENT_VALIDATION = event -> event.getSeverity() == ValidationEvent.WARNING;
    private static final int MAX_REASON_LENGTH = 300;

    private final int warmupEvaluations;
    private final boolean compile;
    private final DocumentLimits.Limits limits;

    PmmlPipelineLoader(int warmupEvaluations, boolean compile) {
        this(warmupEvaluations, compile, DocumentLimits.Limits.defaults());
    }

    PmmlPipelineLoader(int warmupEvaluations, boolean compile, DocumentLimits.Limits limits) {
        this.warmupEvaluations = warmupEvaluations;
        this.compile = compile;
        this.limits = limits;
    }

    @Override
    public Pipeline load(ModelSource source) {
        Evaluator evaluator;
        // first in the chain, so it counts what the parser reads before any other filter sees it
        DocumentLimits documentLimits = new DocumentLimits(limits);
        // built once per JVM, perhaps already under way since the server started (InferenceEngine.prepare)
        ParserContext.await();
        try {
            evaluator = new LoadingModelEvaluatorBuilder()
                    .setFilters(List.of(documentLimits, new ImportFilter()))
                    .setValidationEventHandler(SILENT_VALIDATION)
                    .load(source.openStream())
                    .build();
        } catch (SAXException | JAXBException e) {
            DocumentLimits.LimitExceededException limit = limitExceeded(e);
            if (limit != null) {
                // the cause's trace says nothing an operator needs: the message names the limit and its key
                throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + source.location()
                        + "\" cannot be loaded: " + limit.getMessage());
            }
            throw invalid(source, "it is not well-formed PMML: " + xmlReason(e), e);
        } catch (PMMLException | IllegalArgumentException | IllegalStateException e) {
            throw invalid(source, "it is not a model jpmml-evaluator can run: " + libraryReason(e), e);
        } catch (Exception e) {
            throw invalid(source, "it could not be parsed", e);
        }
        try {
            evaluator.verify();
        } catch (PMMLException e) {
            throw invalid(source, "it fails its own ModelVerification data: " + libraryReason(e), e);
        }
        PmmlPipeline pipeline;
        try {
            pipeline = new PmmlPipeline(evaluator);
        } catch (PMMLException e) {
            throw invalid(source, "its fields cannot be described: " + libraryReason(e), e);
        }
        if (!compile) {
            pipeline = pipeline.withNote("scored by jpmml (compilation off)");
            if (!documentLimits.pastDeadline()) {
                warmUp(evaluator);
            }
            return pipeline;
        }
        // warm-up only makes the first requests faster: a load already past its time limit skips it
        boolean warm = !documentLimits.pastDeadline();
        Compilation compilation = ModelCompiler.compile(evaluator, pipeline.resultNames(), pipeline::predictWithJpmml,
                ModelCompiler.CHECK_RECORDS, source.location().toString().hashCode());
        Optional<CompiledScorer> scorer = compilation.scorer();
        if (scorer.isPresent()) {
            pipeline = pipeline.withCompiled(scorer.get(), compilation.note());
            // the path clients' records take; the check has already run jpmml's on a few hundred records
            if (warm) {
                warmUpCompiled(pipeline, compilation.warmUpRecord());
            }
        } else {
            pipeline = pipeline.withNote(compilation.note());
            if (warm) {
                warmUp(evaluator);
            }
        }
        return pipeline;
    }

    /**
     * Evaluates a synthetic record (missing values throughout, or the first valid value of each
     * field) many times so the JIT compiles this model's paths before clients arrive. Failures are
     * expected for models that refuse missing values and are ignored: warm-up is best effort.
     */
    private void warmUp(Evaluator evaluator) {
        if (warmupEvaluations == 0) {
            return;
        }
        Map<String, Object> sample = new HashMap<>();
        for (InputField field : evaluator.getInputFields()) {
            List<?> validValues = field.getDiscreteDomain();
            sample.put(field.getName(), validValues == null ? null : validValues.get(0));
        }
        for (int i = 0; i < warmupEvaluations; i++) {
            try {
                Map<String, Object> arguments = new HashMap<>();
                for (InputField field : evaluator.getInputFields()) {
                    arguments.put(field.getName(), field.prepare(sample.get(field.getName())));
                }
                evaluator.evaluate(arguments);
            } catch (PMMLException | IllegalArgumentException e) {
                return;
            }
        }
    }

    /** Runs the compiled path on a record it takes, so the JIT compiles it too before clients arrive. */
    private void warmUpCompiled(PmmlPipeline pipeline, Map<String, Object> sample) {
        for (int i = 0; i < warmupEvaluations; i++) {
            try {
                pipeline.predict(sample);
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    private static String xmlReason(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (e instanceof JAXBException jaxb && jaxb.getLinkedException() != null) {
            cause = jaxb.getLinkedException();
        }
        String message = String.valueOf(cause.getMessage());
        if (message.contains("DOCTYPE")) {
            return "DOCTYPE declarations are refused (they enable XML external entity and entity expansion attacks)";
        }
        // JAXB lists every element it would have accepted (14 KB for an HTML page named .pmml): the first is enough
        int expected = message.indexOf("Expected elements are");
        if (expected >= 0) {
            message = message.substring(0, expected).trim() + " (expected a PMML document)";
        }
        // SAX messages describe the document position and the problem; they hold no server paths
        // because the source is an in-memory stream without a system id.
        return shorten(message);
    }

    /**
     * The library's message, shortened, or what its silence means: a message-less exception would
     * otherwise end a client's error message with "null". jpmml-model's import filter throws a bare
     * {@code IllegalStateException} when a document switches PMML namespace (version) part-way,
     * which the fuzzer reached by splicing two models.
     */
    private static String libraryReason(RuntimeException e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return shorten(e.getMessage());
        }
        StackTraceElement[] trace = e.getStackTrace();
        if (e instanceof IllegalStateException && trace.length > 0 && trace[0].getClassName().equals(PMMLFilter.class.getName())) {
            return "its elements are in more than one PMML namespace (a document has one PMML version)";
        }
        return "jpmml-evaluator gave no reason";
    }

    /** At most {@value #MAX_REASON_LENGTH} characters of a library's message. */
    private static String shorten(String message) {
        String text = String.valueOf(message);
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH) + "...";
    }

    private static DocumentLimits.LimitExceededException limitExceeded(Exception e) {
        Throwable cause = e instanceof JAXBException jaxb && jaxb.getLinkedException() != null ? jaxb.getLinkedException() : e;
        for (int i = 0; cause != null && i < 10; i++, cause = cause.getCause()) {
            if (cause instanceof DocumentLimits.LimitExceededException limit) {
                return limit;
            }
            if (cause instanceof SAXException sax && sax.getException() instanceof DocumentLimits.LimitExceededException limit) {
                return limit;
            }
        }
        return null;
    }

    private static InferenceException invalid(ModelSource source, String reason, Exception cause) {
        return new InferenceException(ErrorCategory.INVALID_MODEL,
                "model \"" + source.location() + "\" cannot be loaded: " + reason, cause);
    }
}
