package dev.pronto.inference.pmml;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>Most of the build is the JDK reading the annotations of the PMML classes' fields and methods, which
 * it parses once per member and caches. While the context builds, a second thread reads them in the
 * opposite order, so that on two cores the build finds part of that work done.
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
        start(BUILD, "pronto-pmml-context");
        start(ParserContext::readAnnotations, "pronto-pmml-annotations");
    }

    private static void start(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads the annotations of the classes the context binds (those of the ObjectFactory methods, and
     * their superclasses), last ones first: the JDK parses a member's annotations once and keeps them,
     * so the build on the other thread reads them from that cache. Stops when the build is done; best
     * effort, as it changes nothing but where the parsing happens.
     */
    private static void readAnnotations() {
        List<Class<?>> classes = new ArrayList<>(boundClasses());
        Collections.reverse(classes);
        for (Class<?> type : classes) {
            if (BUILD.isDone()) {
                return;
            }
            try {
                type.getAnnotations();
                for (Field field : type.getDeclaredFields()) {
                    field.getDeclaredAnnotations();
                }
                for (Method method : type.getDeclaredMethods()) {
                    method.getDeclaredAnnotations();
                }
            } catch (RuntimeException | LinkageError e) {
                // the build reports whatever is wrong with a class; this thread only reads ahead
            }
        }
    }

    /** The classes the ObjectFactory methods create, then their superclasses, in the factories' order. */
    static Set<Class<?>> boundClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Class<?> factory : JAXBUtil.getObjectFactoryClasses()) {
            for (Method create : factory.getDeclaredMethods()) {
                for (Class<?> type = create.getReturnType(); type != null && type != Object.class
                        && type.getName().startsWith("org.dmg.pmml"); type = type.getSuperclass()) {
                    classes.add(type);
                }
            }
        }
        return classes;
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
