package dev.pronto.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The launcher's tool commands, parsed by picocli: {@code score}, {@code inspect} and {@code convert}.
 * The server ({@code serve}, the default) is not among them: {@link Main} hands its flags to their own
 * parser, {@link CommandLine}, without building picocli's model of every command, and its usage
 * ({@code pronto --help}, {@code pronto serve --help}) lists these commands too. Exit status 2 means a
 * usage or configuration mistake.
 */
@Command(name = "pronto", subcommands = {ScoreCommand.class, InspectCommand.class, ConvertCommand.class})
final class Cli {

    /** The first arguments that name a tool command; anything else runs the server. */
    static final Set<String> SUBCOMMANDS = Set.of("score", "inspect", "convert");

    private Cli() {
    }

    /** Runs the subcommand the first argument names; returns the exit status. */
    static int execute(List<String> args) {
        picocli.CommandLine cli = new picocli.CommandLine(new Cli());
        // "@file" arguments stay arguments: the server never expanded them, and a location may start with @
        cli.setExpandAtFiles(false);
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.setParameterExceptionHandler((e, arguments) -> {
            System.err.println("pronto " + args.get(0) + ": " + e.getMessage() + " (see " + args.get(0) + " --help)");
            return 2;
        });
        return cli.execute(args.toArray(String[]::new));
    }

    /**
     * The options that find models as the server finds them: the same configuration files, environment
     * variables and flags.
     */
    static final class EngineOptions {

        @Option(names = "--config", paramLabel = "FILE", description = "project.properties, as for the server")
        String config;

        @Option(names = "--credentials", paramLabel = "FILE", description = "credentials.properties, as for the server")
        String credentials;

        @Option(names = "--model-root", paramLabel = "DIR", description = "where relative model names resolve")
        String modelRoot;

        /**
         * Opens the engine, hands it to {@code work} and closes it. The mistakes every command reports
         * alike are printed under the command's name and become its exit status: 2 for the
         * configuration, 1 for a model that cannot be loaded or cannot score.
         *
         * @param command the subcommand's name, which starts each message
         * @return what {@code work} returns, or the exit status of the mistake
         */
        int withEngine(String command, EngineWork work) throws IOException {
            InferenceEngine engine;
            try {
                engine = open();
            } catch (ConfigException e) {
                System.err.println("pronto " + command + ": invalid configuration: " + e.getMessage());
                return 2;
            }
            try (engine) {
                return work.run(engine);
            } catch (InferenceException e) {
                System.err.println("pronto " + command + ": " + e.getMessage());
                return 1;
            }
        }

        /**
         * The engine for these options, with logging kept off the console: standard output may be the data.
         *
         * @throws ConfigException naming the setting the configuration got wrong
         */
        private InferenceEngine open() {
            List<String> flags = new ArrayList<>();
            add(flags, "--config", config);
            add(flags, "--credentials", credentials);
            add(flags, "--model-root", modelRoot);
            ServerConfig server = ServerConfig.load(flags, System.getenv(), InstalledStorage.discover());
            LogSetup.silence();
            return Main.createEngine(server, ServerMetrics.disabled());
        }

        /** What a command does with the engine; returns its exit status. */
        interface EngineWork {
            int run(InferenceEngine engine) throws IOException;
        }

        private static void add(List<String> flags, String name, String value) {
            if (value != null) {
                flags.add(name);
                flags.add(value);
            }
        }
    }
}
