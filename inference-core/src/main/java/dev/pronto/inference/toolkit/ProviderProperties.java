package dev.pronto.inference.toolkit;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a provider's flat configuration map, remembering which keys were read so that
 * {@link #rejectUnused()} can name every unknown key. Errors are {@link InvalidPropertyException}s
 * that carry the full key ({@code prefix + key}) and whose message names it and the expected form;
 * values are never quoted in errors because they may be secrets.
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

    /**
     * An exception naming the full key of {@code key}, for checks a provider makes itself:
     * {@code throw config.invalid("endpoint", "expected an https URL")}.
     */
    public InvalidPropertyException invalid(String key, String problem) {
        return new InvalidPropertyException(fullKey(key), problem);
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
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (entry.getKey().startsWith(keyPrefix)) {
                used.add(entry.getKey());
                result.put(entry.getKey().substring(keyPrefix.length()), entry.getValue().trim());
            }
        }
        return result;
    }

    /**
     * A comma-separated list of names, each trimmed and matching {@code valid}, in the order written,
     * without duplicates or blanks; empty if the key is unset.
     *
     * @param what the names' kind and rules for the message, e.g. {@code "bucket name (letters, digits, '.', '_' and '-')"}
     */
    public Set<String> getNames(String key, Pattern valid, String what) {
        Set<String> names = new LinkedHashSet<>();
        for (String item : get(key, "").split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!valid.matcher(name).matches()) {
                // a name, not a secret: quoting it tells the operator which entry is wrong
                throw invalid(key, "\"" + name + "\" is not a valid " + what);
            }
            names.add(name);
        }
        return Collections.unmodifiableSet(names);
    }

    /** An {@code http} or {@code https} URL with a host and without user info, if set. */
    public Optional<URI> getHttpUrl(String key) {
        return get(key).map(text -> httpUrl(key, text));
    }

    private URI httpUrl(String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(key, "expected an http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid(key, "expected an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(key, "must not hold credentials");
        }
        return uri;
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
            throw invalid(key, "expected a whole number");
        }
        if (value < min || value > max) {
            throw invalid(key, "expected a number from " + min + " to " + max);
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
            default -> throw invalid(key, "expected true or false");
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

    /**
     * Parses a duration in the forms {@link #getDuration} accepts.
     *
     * @param key the full key, for the exception
     * @throws InvalidPropertyException naming the key if the text is not a non-negative duration
     */
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
        Duration duration;
        try {
            duration = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidPropertyException(key, "expected a duration such as 500ms, 30s, 5m or PT30S");
        }
        if (duration.isNegative()) {
            throw new InvalidPropertyException(key, "a duration must not be negative");
        }
        return duration;
    }

    /**
     * Throws naming every key that no read asked for, so that a misspelt key fails at startup
     * instead of being silently ignored.
     *
     * @throws InvalidPropertyException whose {@link InvalidPropertyException#key()} is the first unknown key
     */
    public void rejectUnused() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            List<String> names = new ArrayList<>();
            unknown.forEach(key -> names.add(prefix + key));
            throw InvalidPropertyException.unknownKeys(names);
        }
    }
}
