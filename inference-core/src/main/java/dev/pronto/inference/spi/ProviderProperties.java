package dev.pronto.inference.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a provider's flat configuration map, remembering which keys were read so that
 * {@link #rejectUnused()} can name every unknown key. Errors are {@link IllegalArgumentException}s
 * whose message names the full key ({@code prefix + key}) and the expected form; values are never
 * quoted in errors because they may be secrets.
 *
 * <p>Not thread-safe; used while a component is being configured.
 */
public final class ProviderProperties {

    private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)?$");

    private final String prefix;
    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    /**
     * @param prefix the prefix under which these keys appear in the engine configuration, for messages
     * @param values the component's keys without that prefix
     */
    public ProviderProperties(String prefix, Map<String, String> values) {
        this.prefix = prefix;
        this.values = Map.copyOf(values);
    }

    /** The full name of {@code key} as it appears in the engine configuration, for error messages. */
    public String fullKey(String key) {
        return prefix + key;
    }

    /** The value of {@code key}, trimmed, if set and not blank. */
    public Optional<String> get(String key) {
        used.add(key);
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value of {@code key}, or {@code defaultValue}. */
    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** Every key that starts with {@code keyPrefix}, marked as used, mapped without that prefix. */
    public Map<String, String> withPrefix(String keyPrefix) {
        Map<String, String> result = new java.util.TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (entry.getKey().startsWith(keyPrefix)) {
                used.add(entry.getKey());
                result.put(entry.getKey().substring(keyPrefix.length()), entry.getValue().trim());
            }
        }
        return result;
    }

    /** An integer in {@code [min, max]}. */
    public int getInt(String key, int defaultValue, int min, int max) {
        return (int) getLong(key, defaultValue, min, max);
    }

    /** A long in {@code [min, max]}. */
    public long getLong(String key, long defaultValue, long min, long max) {
        Optional<String> text = get(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + key + ": expected a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(prefix + key + ": expected a number from " + min + " to " + max);
        }
        return value;
    }

    /** A boolean written {@code true} or {@code false}. */
    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<String> text = get(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(prefix + key + ": expected true or false");
        };
    }

    /** A duration written {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, a bare number of seconds, or ISO-8601 ({@code PT30S}). */
    public Duration getDuration(String key, Duration defaultValue) {
        Optional<String> text = get(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return parseDuration(prefix + key, text.get());
    }

    /** Parses a duration in the forms {@link #getDuration} accepts; the key is only for the message. */
    public static Duration parseDuration(String key, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            Duration duration = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (duration.isNegative()) {
                throw new IllegalArgumentException(key + ": a duration must not be negative");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + ": expected a duration such as 500ms, 30s, 5m or PT30S");
        }
    }

    /**
     * Throws naming every key that no read asked for, so that a misspelt key fails at startup
     * instead of being silently ignored.
     */
    public void rejectUnused() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (String key : unknown) {
                names.append(names.length() == 0 ? "" : ", ").append(prefix).append(key);
            }
            throw new IllegalArgumentException("unknown configuration key" + (unknown.size() > 1 ? "s: " : ": ") + names);
        }
    }
}
