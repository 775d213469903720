package dev.pronto.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: what to do ({@link Mode}) and the flags that locate files or set keys. Kept to
 * plain {@code --flag value} / {@code --flag=value} pairs on purpose, so that moving to subcommands
 * later is a change of this class alone.
 *
 * @param mode what {@link Main} does
 * @param flags the value flags, by name ({@code --port} → {@code 8080}), in command-line order
 */
record CommandLine(Mode mode, Map<String, String> flags) {

    /** What the process does. */
    enum Mode {
        /** Serve until stopped. */
        RUN,
        /** Print the usage. */
        HELP,
        /** Print version and build commit. */
        VERSION,
        /** Load the configuration, reach every storage, load {@code [Models]}, then exit 0 or 2. */
        CHECK_CONFIG
    }

    static final String USAGE_FLAGS = "known flags: --config FILE, --credentials FILE, --host HOST, --port PORT, "
            + "--model-root DIR, --check-config, --version, --help";
    private static final Set<String> VALUE_FLAGS = Set.of("--host", "--port", "--model-root", "--config", "--credentials");

    CommandLine {
        flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /**
     * Parses the arguments.
     *
     * @throws ConfigException for an unknown argument or a flag without its value
     */
    static CommandLine parse(List<String> args) {
        Mode mode = Mode.RUN;
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help", "-h" -> mode = Mode.HELP;
                case "--version" -> mode = mode == Mode.HELP ? mode : Mode.VERSION;
                case "--check-config" -> mode = mode == Mode.RUN ? Mode.CHECK_CONFIG : mode;
                default -> {
                    String name = arg;
                    String value = null;
                    int equals = arg.indexOf('=');
                    if (arg.startsWith("--") && equals > 0) {
                        name = arg.substring(0, equals);
                        value = arg.substring(equals + 1);
                    }
                    if (!VALUE_FLAGS.contains(name)) {
                        throw new ConfigException("unknown argument " + name + "; " + USAGE_FLAGS);
                    }
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new ConfigException("flag " + name + ": expected a value after it");
                        }
                        value = args.get(++i);
                    }
                    flags.put(name, value);
                }
            }
        }
        return new CommandLine(mode, flags);
    }
}
