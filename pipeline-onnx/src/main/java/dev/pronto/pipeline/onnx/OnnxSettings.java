package dev.pronto.pipeline.onnx;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * How the {@code onnx} format builds and runs sessions; immutable.
 *
 * @param intraOpThreads threads one run may use; {@code 0} lets ONNX Runtime use every core
 * @param optimizationLevel the graph optimisations applied when a session is made
 * @param warmupRuns runs of a synthetic record made while loading
 * @param closeGrace how long a replaced or evicted model's session stays open after its last use,
 *     so that requests already holding the model finish on it
 */
record OnnxSettings(int intraOpThreads, OptLevel optimizationLevel, int warmupRuns, Duration closeGrace) {

    static final String PREFIX = "pipeline.onnx.";

    OnnxSettings {
        Objects.requireNonNull(optimizationLevel, "optimizationLevel");
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (intraOpThreads < 0 || warmupRuns < 0 || closeGrace.isNegative()) {
            throw new IllegalArgumentException("settings must not be negative");
        }
    }

    /**
     * One thread per run: the server scores many requests at once, and small tabular networks gain
     * nothing from splitting one run across cores, while ONNX Runtime's spinning pool threads would
     * compete with the request threads.
     */
    static OnnxSettings defaults() {
        return new OnnxSettings(1, OptLevel.ALL_OPT, 5, Duration.ofSeconds(2));
    }

    /** Reads the provider's keys (without the {@code pipeline.onnx.} prefix); rejects unknown ones. */
    static OnnxSettings from(Map<String, String> properties) {
        OnnxSettings defaults = defaults();
        ProviderProperties config = new ProviderProperties(PREFIX, properties);
        int threads = config.getInt("intra-op-threads", defaults.intraOpThreads(), 0, 1024);
        OptLevel level = config.get("optimization-level").map(text -> optLevel(config, text))
                .orElse(defaults.optimizationLevel());
        int warmup = config.getInt("warmup-runs", defaults.warmupRuns(), 0, 10_000);
        Duration grace = config.getDuration("close-grace", defaults.closeGrace());
        config.rejectUnused();
        return new OnnxSettings(threads, level, warmup, grace);
    }

    private static OptLevel optLevel(ProviderProperties config, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            case "all" -> OptLevel.ALL_OPT;
            default -> throw new IllegalArgumentException(config.fullKey("optimization-level")
                    + " must be none, basic, extended or all");
        };
    }

    /** New session options for these settings; the caller closes them. */
    SessionOptions sessionOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setOptimizationLevel(optimizationLevel);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            // ONNX Runtime writes its warnings to stderr, outside the server's logs; errors reach us as exceptions
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
