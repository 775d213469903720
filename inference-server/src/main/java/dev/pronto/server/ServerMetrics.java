package dev.pronto.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.eclipse.jetty.server.Server;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meters and their exposition at {@code GET /metrics}: one Prometheus registry that
 * holds the engine's meters, one request histogram per endpoint and status code, and the JVM, GC,
 * thread and Jetty meters. See {@code docs/observability.md}.
 *
 * <p>Recording a request looks its histogram up in fixed arrays, so it allocates nothing once each
 * endpoint and code has been seen. Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {

    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * The {@code endpoint} label: the route, never the request path, whose parts clients choose.
     * A path no route serves counts as {@code other}.
     */
    private static final List<String> ENDPOINTS = List.of("/invocations", "/ping", "/health/live", "/health/ready",
            "/models", "/models/{name}", "/version", "/metrics", "/v2", "/v2/health/live", "/v2/health/ready",
            "/v2/models/{name}", "/v2/models/{name}/infer", "/v2/models/{name}/ready", "/v2/repository", "/v1/models",
            "/v1/models/{name}", "/v1/models/{name}:predict", "other");

    /** From 100 µs: a request to a model in memory takes a fraction of a millisecond, a first load seconds. */
    private static final Duration[] HTTP_BUCKETS = java.util.stream.DoubleStream.of(0.0001, 0.00025, 0.0005, 0.001,
            0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .mapToObj(seconds -> Duration.ofNanos(Math.round(seconds * 1e9))).toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicReferenceArray<Timer>> byEndpoint;
    private final JvmGcMetrics gc;

    private ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        if (registry == null) {
            this.byEndpoint = Map.of();
            this.gc = null;
            return;
        }
        // the two meters of Micrometer's binders that break Prometheus's naming rules (promtool check metrics):
        // process_cpu_time_ns_total (an abbreviated unit; process_cpu_usage remains) and system_cpu_count (a
        // gauge ending in _count), so that the exposition passes the linter scrapers and CI run
        registry.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Map<String, AtomicReferenceArray<Timer>> timers = new java.util.HashMap<>();
        for (String endpoint : ENDPOINTS) {
            timers.put(endpoint, new AtomicReferenceArray<>(600));
        }
        this.byEndpoint = Map.copyOf(timers);
    }

    /** Meters as {@code [Metrics]} says: kept and served, or none at all. */
    static ServerMetrics of(MetricsSettings settings) {
        return settings.enabled() ? new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                : disabled();
    }

    /** No meters; {@code /metrics} is not served. */
    static ServerMetrics disabled() {
        return new ServerMetrics(null);
    }

    boolean enabled() {
        return registry != null;
    }

    /** The registry the engine publishes in; only when {@link #enabled()}. */
    MeterRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("metrics are disabled");
        }
        return registry;
    }

    /** Adds Jetty's thread pool and connection meters; called as the app configures its Jetty server. */
    void bindJetty(Server server) {
        if (registry != null) {
            new JettyServerThreadPoolMetrics(server.getThreadPool(), List.of()).bindTo(registry);
            JettyConnectionMetrics.addToAllConnectors(server, registry);
        }
    }

    /** Records one finished request by endpoint and status code. */
    void request(Context ctx, float millis) {
        if (registry == null) {
            return;
        }
        int code = ctx.statusCode();
        if (code < 100 || code > 599) {
            return;
        }
        String endpoint = endpoint(ctx.path());
        AtomicReferenceArray<Timer> timers = byEndpoint.get(endpoint);
        Timer timer = timers.get(code);
        if (timer == null) {
            timer = Timer.builder("pronto.http.request.duration").tags("endpoint", endpoint, "code", Integer.toString(code))
                    .description("HTTP requests, from the first byte read to the last written")
                    .serviceLevelObjectives(HTTP_BUCKETS).register(registry);
            timers.compareAndSet(code, null, timer); // the registry returns the same timer to a racing thread
        }
        timer.record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** The route a path is served by, or {@code other}; compares without allocating. */
    static String endpoint(String path) {
        switch (path) {
            case "/invocations", "/ping", "/health/live", "/health/ready", "/models", "/version", "/metrics", "/v2",
                    "/v2/health/live", "/v2/health/ready", "/v1/models":
                return path;
            default:
                if (path.startsWith("/models/")) {
                    return "/models/{name}";
                }
                if (path.startsWith("/v2/models/")) {
                    // versions fold into their model's route: /v2/models/{name}/versions/{v}/infer is an inference too
                    return path.endsWith("/infer") ? "/v2/models/{name}/infer"
                            : path.endsWith("/ready") ? "/v2/models/{name}/ready" : "/v2/models/{name}";
                }
                if (path.startsWith("/v2/repository/")) {
                    return "/v2/repository";
                }
                if (path.startsWith("/v1/models/")) {
                    return path.endsWith(":predict") ? "/v1/models/{name}:predict" : "/v1/models/{name}";
                }
                return "other";
        }
    }

    /** {@code GET /metrics}: OpenMetrics when the client accepts it (Prometheus does), else the Prometheus text format. */
    void scrape(Context ctx) {
        String accept = ctx.header("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : PROMETHEUS_TEXT;
        ctx.status(200).contentType(type).result(registry.scrape(type));
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
