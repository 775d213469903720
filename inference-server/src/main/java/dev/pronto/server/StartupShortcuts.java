package dev.pronto.server;

import java.util.Locale;

/**
 * Start-up work of the libraries under the server that needs no configuration, taken off the main
 * thread's way to ready or left out (docs/performance.md, "Cold start"). Called first thing by
 * {@code serve}, beside {@link dev.pronto.inference.InferenceEngine#prepare()}.
 */
final class StartupShortcuts {

    /**
     * Jetty's padding of its queues against false sharing: references per 64-byte cache line. Unset,
     * Jetty asks the platform MBean server whether references are compressed, and starting the MBean
     * server (every platform MBean registered, for nothing else in the server) was ~8 % of the main
     * thread's CPU to ready. Sixteen is the answer for compressed references, which the JVM uses for
     * any heap below 32 GB; a wrong guess only changes that padding.
     */
    static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final long COMPRESSED_REFERENCES_MAX_HEAP = 32L << 30;

    private StartupShortcuts() {
    }

    /** Sets what is not set yet and starts the background work; returns at once. */
    static void begin() {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            boolean compressed = Runtime.getRuntime().maxMemory() < COMPRESSED_REFERENCES_MAX_HEAP;
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, compressed ? "16" : "8");
        }
        // Jetty's Server lists the JDK's ~800 locales while the app starts (MimeTypes), which builds each
        // Locale from its tag on the main thread; the JDK computes the list once, so a thread of its own
        // does it while configuration is read
        Thread locales = new Thread(Locale::getAvailableLocales, "pronto-locales");
        locales.setDaemon(true);
        locales.start();
    }
}
