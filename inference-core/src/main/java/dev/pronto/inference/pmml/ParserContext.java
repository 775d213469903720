package dev.pronto.inference.pmml;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import jakarta.xml.bind.JAXBContext;
import org.jpmml.model.JAXBUtil;

/**
 * The JVM's one JAXB context for PMML, built once: by whichever comes first of a start-up thread
 * ({@link #startInBackground()}) and the first model load ({@link #await()}).
 *
 * <p>Building it is the largest single cost of a small model's first load (a few hundred ms of
 * reflection over some 800 PMML classes, measured in {@code docs/performance.md}, "Cold start"), and it
 * needs nothing from the configuration, so a server starts it while it reads its configuration.
 * jpmml-model's {@link JAXBUtil#getContext()} caches the context but does not synchronise: two first
 * loads at once would each build one. Both paths here run the same task, which runs once; the other
 * caller waits for it. Thread-safe.
 */
final class ParserContext {

    private static final FutureTask<JAXBContext> BUILD = new FutureTask<>(JAXBUtil::getContext);

    private ParserContext() {
    }

    /** Starts building the context on a daemon thread, unless it is built or being built; returns at once. */
    static void startInBackground() {
        if (BUILD.isDone()) {
            return;
        }
        Thread thread = new Thread(BUILD, "pronto-pmml-context");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Builds the context in this thread, or waits for the thread building it.
     *
     * @return the context, or empty if building it failed: that failure is left to the parse that follows,
     *     which calls {@link JAXBUtil#getContext()} again and reports it as a model error
     */
    static Optional<JAXBContext> await() {
        BUILD.run(); // returns at once when it has run or is running elsewhere
        try {
            return Optional.of(BUILD.get());
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
