package dev.pronto.inference.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.pronto.inference.InferenceEngine;

/**
 * The engines of this JVM, one per distinct configuration, created when a task first asks and shared
 * by every task the JVM runs after it. A Spark executor has no start or stop hook for user code, so
 * the engines live in this static map for the JVM's life and are closed by a shutdown hook; the map is
 * keyed by the whole configuration, so two jobs with different storages never share an engine.
 *
 * <p>Thread-safe: concurrent tasks of one executor asking for the same configuration get one engine,
 * which loads each model once.
 */
final class ExecutorEngines {

    private static final Map<Map<String, String>, InferenceEngine> ENGINES = new ConcurrentHashMap<>();

    static {
        Thread closer = new Thread(ExecutorEngines::closeAll, "pronto-spark-engines-close");
        Runtime.getRuntime().addShutdownHook(closer);
    }

    private ExecutorEngines() {
    }

    /**
     * The engine of this configuration, created on first use.
     *
     * @throws dev.pronto.inference.InferenceException with category {@code CONFIGURATION} naming the key
     *     when the configuration is invalid; nothing is kept then, so the next task tries again
     */
    static InferenceEngine engine(Map<String, String> config) {
        return ENGINES.computeIfAbsent(config, InferenceEngine::create);
    }

    private static void closeAll() {
        ENGINES.values().forEach(InferenceEngine::close);
        ENGINES.clear();
    }
}
