package dev.pronto.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * The collected settings, by section and key, with typed reads that name the setting's origin when
 * a value has the wrong form. Not thread-safe: it lives only while {@link ServerConfig#load} runs.
 */
final class ConfigValues {

    private static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$");

    private final Map<String, Map<String, Setting>> values = new LinkedHashMap<>();
    private final List<String> warnings;

    ConfigValues(List<String> warnings) {
        this.warnings = warnings;
    }

    /** Adds a setting; one from a later source replaces the earlier one, with a warning naming both. */
    void put(Setting setting) {
        Map<String, Setting> section = values.computeIfAbsent(setting.section(), s -> new LinkedHashMap<>());
        String name = ConfigSchema.isOpen(setting.section()) ? setting.key() : IniFile.normalKey(setting.key());
        Setting replaced = section.put(name, setting);
        if (replaced != null && !replaced.origin().equals(setting.origin())) {
            warnings.add(setting.origin() + " overrides " + replaced.describe());
        }
    }

    Optional<Setting> setting(String section, String key) {
        Map<String, Setting> settings = values.get(section);
        if (settings == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(settings.get(ConfigSchema.isOpen(section) ? key : IniFile.normalKey(key)));
    }

    /** Every setting of a section, in the order they were first given. */
    List<Setting> section(String section) {
        return List.copyOf(values.getOrDefault(section, Map.of()).values());
    }

    String string(String section, String key, String defaultValue) {
        return setting(section, key).map(Setting::value).filter(v -> !v.isEmpty()).orElse(defaultValue);
    }

    int integer(String section, String key, int defaultValue, int min, int max) {
        String text = string(section, key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw invalid(section, key, "expected a whole number from " + min + " to " + max);
    }

    Duration duration(String section, String key, Duration defaultValue) {
        String text = string(section, key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return ProviderProperties.parseDuration(key, text);
        } catch (IllegalArgumentException e) {
            throw invalid(section, key, "expected a duration such as 500ms, 30s, 5m or PT30S");
        }
    }

    /** A size in bytes: a number, or one with {@code KB}/{@code MB}/{@code GB} (binary units). */
    long size(String section, String key, long defaultValue) {
        String text = string(section, key, null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "b" : m.group(2);
                long factor = switch (unit.charAt(0)) {
                    case 'k' -> 1024L;
                    case 'm' -> 1024L * 1024;
                    case 'g' -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
                long bytes = Math.multiplyExact(amount, factor);
                if (bytes >= 1 && bytes < Integer.MAX_VALUE - 8) {
                    return bytes;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below with the expected form
            }
        }
        throw invalid(section, key, "expected a size from 1 byte to under 2 GiB such as 1048576, 512KB or 10MB");
    }

    /** A yes/no setting, in the words Python's configparser accepts for {@code getboolean}. */
    boolean bool(String section, String key, boolean defaultValue) {
        String text = string(section, key, null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> true;
            case "0", "no", "false", "off" -> false;
            default -> throw invalid(section, key, "expected true or false (also yes/no, on/off, 1/0)");
        };
    }

    /** A level in the seed's Python names, as a logback level name. */
    String level(String section, String key) {
        String text = string(section, key, "INFO").toUpperCase(Locale.ROOT);
        return switch (text) {
            case "CRITICAL", "FATAL", "ERROR" -> "ERROR";
            case "WARNING", "WARN" -> "WARN";
            case "INFO" -> "INFO";
            case "DEBUG", "NOTSET" -> "DEBUG";
            default -> throw invalid(section, key, "expected CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET");
        };
    }

    /** A refusal of the value of a setting that is present, naming its origin but not the value. */
    ConfigException invalid(String section, String key, String reason) {
        return new ConfigException(setting(section, key).orElseThrow().describe() + ": " + reason);
    }

    /**
     * One line per setting with its origin, sorted by section, for the startup log and
     * {@code --check-config}; values of secret keys are {@code ****}.
     *
     * @param secret whether a setting is a secret beyond what {@link ConfigSchema#looksSecret} recognises
     */
    List<String> summary(Predicate<Setting> secret) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(values).forEach((section, settings) -> settings.values().forEach(setting -> {
            boolean masked = ConfigSchema.looksSecret(section, setting.key()) || secret.test(setting);
            lines.add("[" + section + "] " + setting.key() + " = " + (masked ? "****" : setting.value())
                    + "  (from " + setting.origin() + ")");
        }));
        return lines;
    }
}
