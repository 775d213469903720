package dev.pronto.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;
import io.javalin.Javalin;

/**
 * Starts the server: configuration (files, then environment, then flags) → logging → engine → app →
 * listen → load and warm the configured models → ready. SIGTERM (or Ctrl-C) stops it gracefully:
 * probes turn not-ready, requests in flight finish, then the engine closes.
 *
 * <p>The launcher of the server jar: {@code serve} (the default), {@code score}, {@code inspect} and {@code convert} ({@link Cli}).
 *
 * <p>Exit status of {@code serve}: 143 after SIGTERM and 130 after Ctrl-C (SIGINT), the JVM's status for a stop by
 * that signal, also when the shutdown was clean; 0 after {@code --help}, {@code --version} or a
 * passing {@code --check-config}; 2 for invalid configuration (one line on stderr naming file,
 * section and key); 1 when a configured model cannot be loaded or the port cannot be bound.
 */
public final class Main {

    private Main() {
    }

    static final String USAGE = """
            usage: java -jar pronto-server.jar [serve] [--config FILE] [--credentials FILE] [--host HOST] [--port PORT] [--model-root DIR]
                   java -jar pronto-server.jar [serve] --check-config [same flags]
                   java -jar pronto-server.jar --version
                   java -jar pronto-server.jar score --model LOCATION --input FILE|- --output FILE|- [options]   (score --help)
                   java -jar pronto-server.jar inspect LOCATION [--config FILE] [--model-root DIR]             (inspect --help)
                   java -jar pronto-server.jar convert MODEL.pkl -o MODEL.pmml                                 (convert --help)

              --config FILE       project.properties in the seed's INI format (default: configs/$DEPLOY_ENV/project.properties
                                  when DEPLOY_ENV is set, else none); env PRONTO_CONFIG
              --credentials FILE  credentials.properties (default: next to the config file, if present); env PRONTO_CREDENTIALS
              --host HOST         interface to listen on (default 0.0.0.0); env PRONTO_HOST (HOST is deprecated)
              --port PORT         TCP port (default 8080, 0 for any free one); env PORT
              --model-root DIR    default local model root, where names like iris/model.pmml resolve; env PRONTO_MODEL_ROOT
              --check-config      load the configuration, reach every configured storage, load [Models], then exit:
                                  0 when all is well, 2 with the reason on one line
              --version           print the version and build commit
              --help, -h          print this usage (each tool command has its own: score --help)

            Flags override environment variables, which override the files. See docs/server-configuration.md.
            """;

    /**
     * Runs a command ({@code serve}, {@code score}, {@code inspect}, {@code convert}); with none, {@code serve}, so
     * that {@code ./pronto --port 9000} and the container behave as before commands existed.
     */
    public static void main(String[] args) {
        boolean serve = args.length == 0 || !Cli.SUBCOMMANDS.contains(args[0]);
        // serve's flags have their own parser (CommandLine) and never reach picocli: building picocli's model of
        // every command first cost ~5 % of a cold start's CPU (docs/performance.md)
        int status = serve ? serve(List.of(args).subList(args.length > 0 && args[0].equals("serve") ? 1 : 0, args.length))
                : Cli.execute(List.of(args));
        if (status != 0 || !serve) {
            // the lines that say why, before the process ends; the shutdown hook flushes its own
            LogSetup.flush();
            System.out.flush();
            System.exit(status);
        }
    }

    /** {@code serve}: runs the server until the process is told to stop; returns at once with 0 once it is ready. */
    static int serve(List<String> args) {
        CommandLine command;
        ServerConfig config;
        try {
            command = CommandLine.parse(args);
            if (command.mode() == CommandLine.Mode.HELP) {
                System.out.print(USAGE);
                return 0;
            }
            if (command.mode() == CommandLine.Mode.VERSION) {
                System.out.println(BuildInfo.current());
                return 0;
            }
            // needs no configuration, and is the longest step of the first PMML load: under way while the
            // configuration is read, logging set up and the engine built
            InferenceEngine.prepare();
            StartupShortcuts.begin();
            config = ServerConfig.load(args, System.getenv(), InstalledStorage.discover());
        } catch (ConfigException e) {
            System.err.println("pronto: invalid configuration: " + e.getMessage());
            return 2;
        }
        return command.mode() == CommandLine.Mode.CHECK_CONFIG ? check(config) : run(config);
    }

    /** {@code --check-config}: warnings and the result on the console, no log file, nothing listens. */
    private static int check(ServerConfig config) {
        LogSetup.apply(LogSettings.console("WARN"), null);
        config.warnings().forEach(warning -> System.err.println("pronto: warning: " + warning));
        try (InferenceEngine engine = createEngine(config, ServerMetrics.disabled())) {
            System.out.println("pronto: " + ConfigCheck.run(config, engine));
            return 0;
        } catch (ConfigException e) {
            LogSetup.flush();
            System.err.println("pronto: invalid configuration: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The engine for this configuration.
     *
     * @throws ConfigException naming the setting the engine or a model name refused
     */
    static InferenceEngine createEngine(ServerConfig config, ServerMetrics metrics) {
        validateModelNames(config);
        try {
            InferenceEngine.Builder builder = InferenceEngine.builder().config(config.engineConfig());
            if (metrics.enabled()) {
                builder.meterRegistry(metrics.registry());
                config.settings().models().forEach((name, location) -> {
                    if (config.settings().versions().policies().containsKey(name)) {
                        builder.modelVersionFolder(name, location);
                    } else {
                        builder.modelName(name, location);
                    }
                });
            }
            return builder.build();
        } catch (InferenceException | IllegalArgumentException e) {
            throw new ConfigException(config.locate(e), e);
        }
    }

    private static int run(ServerConfig config) {
        Path logFile;
        try {
            logFile = LogSetup.apply(config.logs(), System.getenv("HOSTNAME"));
        } catch (ConfigException e) {
            System.err.println("pronto: invalid configuration: " + e.getMessage());
            return 2;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("{}", BuildInfo.current());
        log.info("configuration:{}", config.summary().isEmpty() ? " defaults" : "");
        config.summary().forEach(line -> log.info("  {}", line));
        config.warnings().forEach(log::warn);
        if (logFile != null) {
            log.info("logging to {}", logFile);
        }
        LogSetup.userConfiguration(config.logs()).ifPresent(source ->
                log.info("logging configured by {}; the other [Logs] settings are not used", source));

        ServerMetrics metrics = ServerMetrics.of(config.metrics());
        InferenceEngine engine;
        try {
            engine = createEngine(config, metrics);
        } catch (ConfigException e) {
            return configurationError(log, e.getMessage());
        }
        log.info("storage schemes {}, pipeline formats {}", engine.schemes(), engine.formats());

        // the configured models load, one after the other as before, on a thread of their own while the HTTP
        // server starts on this one: both are mostly class loading and JIT, so two cores do them side by side
        ExecutorService loader = Executors.newSingleThreadExecutor(Main::startupLoadThread);
        Map<String, CompletableFuture<ModelInfo>> loading = new LinkedHashMap<>();
        config.settings().models().forEach((name, location) -> {
            // a folder of versions is searched and loaded when the app starts
            if (!config.settings().versions().policies().containsKey(name)) {
                loading.put(name, CompletableFuture.supplyAsync(() -> engine.model(location), loader));
            }
        });
        loader.shutdown();

        ServerState state = new ServerState();
        Javalin app = ServerApp.createApp(engine, state, AppOptions.of(config.settings()).withProtection(config.protection())
                .withSecurity(config.security()).withMetrics(metrics));
        try {
            app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            log.error("cannot listen on {}:{}: {}", config.host(), config.port(), e.getMessage());
            engine.close();
            metrics.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(log, state, app, engine, metrics), "pronto-shutdown"));
        log.info("listening on {}://{}:{}; {}", config.security().tls().isPresent() ? "https" : "http", config.host(),
                app.port(), config.security().describe());

        for (Map.Entry<String, CompletableFuture<ModelInfo>> model : loading.entrySet()) {
            try {
                ModelInfo info = model.getValue().join();
                log.info("model \"{}\" ready: {} ({} bytes, loaded in {} ms)", model.getKey(), info.location(),
                        info.sizeBytes(), info.loadTime().toMillis());
            } catch (CompletionException e) {
                if (e.getCause() instanceof InferenceException failure) {
                    log.error("[Models] {}: cannot load the model: {}", model.getKey(), failure.getMessage());
                } else {
                    log.error("[Models] {}: cannot load the model", model.getKey(), e.getCause());
                }
                // the shutdown hook stops the app and closes the engine
                return 1;
            }
        }
        state.ready();
        log.info("ready");
        // after ready, so that it takes no CPU from the start; the first pickle request then finds the converter loaded
        Thread warmUp = new Thread(engine::warmUp, "pronto-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        return 0;
    }

    private static Thread startupLoadThread(Runnable load) {
        Thread thread = new Thread(load, "pronto-startup-load");
        thread.setDaemon(true);
        return thread;
    }

    private static void validateModelNames(ServerConfig config) {
        config.settings().models().forEach((name, location) -> {
            try {
                ModelLocation.parse(location);
            } catch (InferenceException e) {
                throw new ConfigException("[Models] " + name + ": " + e.getMessage());
            }
        });
    }

    private static int configurationError(Logger log, String message) {
        log.error("invalid configuration: {}", message);
        System.err.println("pronto: invalid configuration: " + message);
        return 2;
    }

    private static void stop(Logger log, ServerState state, Javalin app, InferenceEngine engine, ServerMetrics metrics) {
        log.info("stopping: finishing requests in flight");
        state.stopping();
        app.stop();
        engine.close();
        metrics.close();
        log.info("stopped");
        LogSetup.flush();
    }
}
