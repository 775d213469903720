package dev.pronto.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Collects the settings from their sources, in rising precedence: the project file, the
 * credentials file, environment variables, flags. A later source replaces an earlier one and a
 * warning names both (never the value). Which keys exist is {@link ConfigSchema}'s business;
 * what they mean is the business of the classes that read {@link ConfigValues}.
 */
final class ConfigSources {

    private ConfigSources() {
    }

    /**
     * Reads every source.
     *
     * @param flags the value flags of the {@link CommandLine}
     * @param env the environment, e.g. {@link System#getenv()}
     * @param warnings receives the overrides and deprecated or unknown variables
     * @throws ConfigException naming the file and line, variable or flag, and the key
     */
    static ConfigValues collect(Map<String, String> flags, Map<String, String> env, List<String> warnings) {
        ConfigValues values = new ConfigValues(warnings);
        Optional<Path> projectFile = projectFile(flags, env);
        projectFile.ifPresent(path -> addFile(values, IniFile.read(path)));
        credentialsFile(flags, env, projectFile).ifPresent(path -> addFile(values, IniFile.read(path)));
        addEnvironment(values, env, warnings);
        flags.forEach((flag, value) -> ConfigSchema.flag(flag).ifPresent(key ->
                values.put(new Setting(key.section(), key.key(), value, "flag " + flag))));
        return values;
    }

    private static void addEnvironment(ConfigValues values, Map<String, String> env, List<String> warnings) {
        // sorted, so that warnings and the summary come out in the same order on every start
        Map<String, String> sorted = new TreeMap<>(env);
        for (ConfigSchema.Key key : ConfigSchema.KEYS) {
            String value = sorted.get(key.env());
            if (value != null) {
                values.put(new Setting(key.section(), key.key(), value, "environment variable " + key.env()));
            }
        }
        String legacyHost = sorted.get(ConfigSchema.LEGACY_HOST_ENV);
        if (legacyHost != null && !sorted.containsKey(ConfigSchema.HOST_ENV)) {
            warnings.add("environment variable " + ConfigSchema.LEGACY_HOST_ENV + " is deprecated: set "
                    + ConfigSchema.HOST_ENV + " instead (tcsh sets HOST to the machine's name)");
            values.put(new Setting(ConfigSchema.SERVER, "host", legacyHost,
                    "environment variable " + ConfigSchema.LEGACY_HOST_ENV));
        }
        for (String section : ConfigSchema.OPEN_SECTIONS) {
            String prefix = ConfigSchema.openPrefix(section);
            sorted.forEach((name, value) -> {
                if (name.startsWith(prefix)) {
                    String key = ConfigSchema.openKey(name, name.substring(prefix.length()));
                    values.put(new Setting(section, key, value, "environment variable " + name));
                }
            });
        }
        for (String name : sorted.keySet()) {
            if (name.startsWith("PRONTO_") && !known(name)) {
                warnings.add("environment variable " + name + " is not a Pronto setting and is ignored; see "
                        + "docs/server-configuration.md for the variables of each section");
            }
        }
    }

    private static boolean known(String name) {
        return ConfigSchema.OTHER_ENV.contains(name)
                || ConfigSchema.KEYS.stream().anyMatch(key -> key.env().equals(name))
                || ConfigSchema.OPEN_SECTIONS.stream().anyMatch(section -> name.startsWith(ConfigSchema.openPrefix(section)));
    }

    private static Optional<Path> projectFile(Map<String, String> flags, Map<String, String> env) {
        if (flags.containsKey("--config")) {
            return Optional.of(Path.of(flags.get("--config")));
        }
        if (env.get("PRONTO_CONFIG") != null) {
            return Optional.of(Path.of(env.get("PRONTO_CONFIG")));
        }
        String deployEnv = env.get("DEPLOY_ENV");
        if (deployEnv != null && !deployEnv.isBlank()) {
            if (!deployEnv.matches("[A-Za-z0-9._-]+")) {
                throw new ConfigException("environment variable DEPLOY_ENV: may hold only letters, digits, '.', '_' and '-'");
            }
            return Optional.of(Path.of("configs", deployEnv, "project.properties"));
        }
        return Optional.empty();
    }

    private static Optional<Path> credentialsFile(Map<String, String> flags, Map<String, String> env, Optional<Path> project) {
        if (flags.containsKey("--credentials")) {
            return Optional.of(Path.of(flags.get("--credentials")));
        }
        if (env.get("PRONTO_CREDENTIALS") != null) {
            return Optional.of(Path.of(env.get("PRONTO_CREDENTIALS")));
        }
        // the seed keeps credentials.properties next to project.properties; it is optional, since the
        // cloud SDKs' default credential chains need no file
        return project.map(path -> path.resolveSibling("credentials.properties")).filter(Files::isRegularFile);
    }

    private static void addFile(ConfigValues values, IniFile file) {
        for (IniFile.Entry entry : file.entries()) {
            String section = ConfigSchema.section(entry.section()).orElseThrow(() -> new ConfigException(file.file() + " ["
                    + entry.section() + "] " + entry.key() + ": unknown section; known sections: " + ConfigSchema.sections()));
            String key = entry.key();
            if (!ConfigSchema.isOpen(section)) {
                key = ConfigSchema.key(section, key).map(ConfigSchema.Key::key).orElseThrow(() -> new ConfigException(
                        file.file() + " [" + entry.section() + "] " + entry.key() + ": unknown key; known keys of ["
                                + section + "]: " + String.join(", ", ConfigSchema.keysOf(section))));
            }
            values.put(new Setting(section, key, entry.value(), file.file()));
        }
    }
}
