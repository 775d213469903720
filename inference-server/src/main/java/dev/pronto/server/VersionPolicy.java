package dev.pronto.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which stored versions of a model the server serves, as TF Serving's and Triton's version policies
 * say it: the {@code latest} N, {@code all}, or a {@code specific} list. Immutable.
 *
 * <p>Written in configuration as {@code latest 2}, {@code all} or {@code specific 1,3} (brackets and
 * spaces allowed: {@code specific [1, 3]}).
 *
 * @param kind which of the three policies
 * @param count for {@code latest}, how many of the newest versions are served; otherwise 0
 * @param versions for {@code specific}, the versions served, ascending; otherwise empty
 */
public record VersionPolicy(Kind kind, int count, List<Long> versions) {

    /** The three policies. */
    public enum Kind {
        /** The N highest versions that load. */
        LATEST,
        /** Every version that loads. */
        ALL,
        /** The listed versions that are stored and load. */
        SPECIFIC
    }

    private static final Pattern LATEST = Pattern.compile("latest\\s+([0-9]{1,4})");
    private static final Pattern SPECIFIC = Pattern.compile("specific\\s*\\[?\\s*([0-9]{1,9}(\\s*,\\s*[0-9]{1,9})*)\\s*]?");
    /** The forms accepted, for messages. */
    static final String FORMS = "expected \"latest <N>\" (N from 1), \"all\" or \"specific <v>,<v>...\" such as \"specific 1,3\"";

    /** Rejects nulls and values that do not fit the kind; copies the versions sorted. */
    public VersionPolicy {
        Objects.requireNonNull(kind, "kind");
        versions = List.copyOf(new TreeSet<>(Objects.requireNonNull(versions, "versions")));
        if ((kind == Kind.LATEST) != (count > 0) || (kind == Kind.SPECIFIC) == versions.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " policy with count " + count + " and versions " + versions);
        }
    }

    /** The newest {@code count} versions. */
    public static VersionPolicy latest(int count) {
        return new VersionPolicy(Kind.LATEST, count, List.of());
    }

    /** Every version. */
    public static VersionPolicy all() {
        return new VersionPolicy(Kind.ALL, 0, List.of());
    }

    /** Exactly these versions. */
    public static VersionPolicy specific(Collection<Long> versions) {
        return new VersionPolicy(Kind.SPECIFIC, 0, List.copyOf(versions));
    }

    /**
     * Reads a policy as written in configuration.
     *
     * @throws IllegalArgumentException with {@link #FORMS} for any other text
     */
    public static VersionPolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return all();
        }
        Matcher latest = LATEST.matcher(t);
        if (latest.matches() && Integer.parseInt(latest.group(1)) > 0) {
            return latest(Integer.parseInt(latest.group(1)));
        }
        Matcher specific = SPECIFIC.matcher(t);
        if (specific.matches()) {
            List<Long> versions = new ArrayList<>();
            for (String v : specific.group(1).split(",")) {
                versions.add(Long.parseLong(v.trim()));
            }
            return specific(versions);
        }
        throw new IllegalArgumentException(FORMS);
    }

    /**
     * The stored versions this policy may serve, in the order they are tried: newest first. A
     * {@code latest} policy serves the first {@link #wanted()} of them that load, so a broken newest
     * version leaves the one before it serving.
     */
    List<Long> candidates(Collection<Long> stored) {
        List<Long> candidates = new ArrayList<>();
        for (Long version : stored) {
            if (kind != Kind.SPECIFIC || versions.contains(version)) {
                candidates.add(version);
            }
        }
        candidates.sort(Comparator.reverseOrder());
        return candidates;
    }

    /** How many of the {@link #candidates} are served at most. */
    int wanted() {
        return kind == Kind.LATEST ? count : Integer.MAX_VALUE;
    }

    /** As written in configuration: {@code latest 2}, {@code all}, {@code specific 1,3}. */
    @Override
    public String toString() {
        return switch (kind) {
            case LATEST -> "latest " + count;
            case ALL -> "all";
            case SPECIFIC -> "specific " + String.join(",", versions.stream().map(String::valueOf).toList());
        };
    }
}
