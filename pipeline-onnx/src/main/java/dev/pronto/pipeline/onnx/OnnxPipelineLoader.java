package dev.pronto.pipeline.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;

/**
 * Makes an {@link OnnxPipeline} from model bytes: one session, the conventions read from the
 * model's inputs, outputs and metadata, then a warm-up run.
 *
 * <p>Thread-safe. ONNX Runtime's native library is loaded by the first {@link #load}.
 */
final class OnnxPipelineLoader implements PipelineLoader {

    private static final int MAX_MESSAGE = 300;

    private final OnnxSettings settings;
    private volatile ScheduledExecutorService closer;

    OnnxPipelineLoader(OnnxSettings settings) {
        this.settings = settings;
    }

    @Override
    public Pipeline load(ModelSource source) {
        String model = source.location().toString();
        byte[] bytes;
        try (InputStream in = source.openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("reading a model held in memory failed", e);
        }
        OnnxGraphFacts facts = OnnxGraphFacts.read(bytes);
        if (facts.externalData()) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + model + "\" keeps its weights in"
                    + " external data files, which Pronto does not read: save it as one file, e.g. with"
                    + " onnx.save_model(model, path, save_as_external_data=False) (models up to 2 GB)");
        }
        OrtEnvironment env = environment();
        OrtSession session;
        try (OrtSession.SessionOptions options = settings.sessionOptions()) {
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + model + "\" is not an ONNX model"
                    + " that ONNX Runtime " + env.getVersion() + " can load: " + describe(e), e);
        }
        try {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            InputBinding inputs = InputBinding.of(session.getInputInfo(), metadata);
            OutputDecoding outputs = OutputDecoding.of(session.getOutputInfo(), metadata, facts);
            OnnxPipeline pipeline = new OnnxPipeline(env, new SharedSession(session, model), inputs, outputs, closer(),
                    settings.closeGrace());
            pipeline.warmUp(settings.warmupRuns());
            return pipeline;
        } catch (InferenceException e) {
            closeQuietly(session);
            ErrorCategory category = e.category() == ErrorCategory.INVALID_RECORD ? ErrorCategory.INVALID_MODEL : e.category();
            String prefix = e.category() == ErrorCategory.INVALID_RECORD ? " failed its warm-up run on a synthetic record: " : ": ";
            throw new InferenceException(category, "model \"" + model + "\"" + prefix + e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "model \"" + model + "\" cannot be served: "
                    + (e instanceof OrtException ort ? describe(ort) : "its inputs or outputs are not readable"), e);
        }
    }

    /**
     * The process-wide environment. Its first use extracts ONNX Runtime's native library to
     * {@code java.io.tmpdir} (or loads it from {@code onnxruntime.native.path}), which a read-only
     * or {@code noexec} temp folder breaks: that is the operator's to fix, so it is a configuration error.
     */
    private static OrtEnvironment environment() {
        try {
            // the default environment: naming our own would only warn when the application already made one
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | RuntimeException e) {
            throw new InferenceException(ErrorCategory.CONFIGURATION, "ONNX Runtime's native library could not be"
                    + " loaded: java.io.tmpdir must be writable and allow executables, or onnxruntime.native.path must"
                    + " name a folder holding the library (docs/onnx.md)", e);
        }
    }

    /** One daemon thread per loader closes retired sessions once idle; made on first need. */
    private ScheduledExecutorService closer() {
        ScheduledExecutorService current = closer;
        if (current == null) {
            synchronized (this) {
                current = closer;
                if (current == null) {
                    current = Executors.newSingleThreadScheduledExecutor(task -> {
                        Thread thread = new Thread(task, "pronto-onnx-session-closer");
                        thread.setDaemon(true);
                        return thread;
                    });
                    closer = current;
                }
            }
        }
        return current;
    }

    /** ONNX Runtime's message without its error-code prefix, shortened; it names no server path. */
    static String describe(OrtException e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^Error code - \\w+ - message: ", "").trim();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException ignored) {
            // the load already failed; that failure is the one to report
        }
    }
}
