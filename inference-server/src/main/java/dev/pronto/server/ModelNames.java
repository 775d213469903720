package dev.pronto.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's model names with their versions, as the V1 and V2 protocols address models.
 *
 * <p>A configured name is either plain ({@code iris = iris/model.pmml}) or carries a numeric
 * version after {@code @} ({@code iris@2 = iris/2/model.pmml}), the numbering Triton and TF Serving
 * use for {@code <name>/<version>/} folders. A request naming a version gets exactly that version;
 * one naming none gets the plain entry if there is one, else the highest version. Immutable.
 *
 * <p>A name whose versions are found in its folder ({@link VersionSettings}) is listed by
 * {@link #names()} but has no entries here: {@link VersionWatcher} knows its versions.
 */
final class ModelNames {

    /** {@code name} or {@code name@version}. */
    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([0-9]{1,9}))?");

    /**
     * One configured model.
     *
     * @param name the name without version
     * @param version the numeric version, or {@code null} for a plain entry
     * @param location the location as configured
     */
    record Entry(String name, String version, String location) {
    }

    /** Versions by name; per name the plain entry under "" first, then numeric versions in ascending order. */
    private final Map<String, TreeMap<Long, Entry>> byName;
    private final List<String> names;

    private ModelNames(Map<String, TreeMap<Long, Entry>> byName, List<String> names) {
        this.byName = byName;
        this.names = List.copyOf(names);
    }

    /** Reads the names of {@link ServerSettings#models()}; keys that are not names stay usable as legacy aliases only. */
    static ModelNames of(Map<String, String> configured) {
        return of(configured, Set.of());
    }

    /** As {@link #of(Map)}, where the names in {@code versioned} are folders of versions, not entries. */
    static ModelNames of(Map<String, String> configured, Set<String> versioned) {
        Map<String, TreeMap<Long, Entry>> byName = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        configured.forEach((key, location) -> {
            Matcher m = KEY.matcher(key);
            if (m.matches() && !names.contains(m.group(1))) {
                names.add(m.group(1));
            }
            if (m.matches() && !versioned.contains(key)) {
                String version = m.group(2);
                long order = version == null ? -1 : Long.parseLong(version);
                byName.computeIfAbsent(m.group(1), name -> new TreeMap<>())
                        .put(order, new Entry(m.group(1), version == null ? null : String.valueOf(order), location));
            }
        });
        return new ModelNames(byName, names);
    }

    /** The names, versioned folders included, in configuration order. */
    List<String> names() {
        return names;
    }

    /** Every configured entry: per name in configuration order, the plain one first, then versions ascending. */
    List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        byName.values().forEach(versions -> all.addAll(versions.values()));
        return Collections.unmodifiableList(all);
    }

    /** The numeric versions of a name, ascending; empty for an unknown name or one with only a plain entry. */
    List<String> versions(String name) {
        List<String> versions = new ArrayList<>();
        byName.getOrDefault(name, new TreeMap<>()).values().forEach(entry -> {
            if (entry.version() != null) {
                versions.add(entry.version());
            }
        });
        return versions;
    }

    /**
     * The entry a request means.
     *
     * @param version a version, or {@code null} for the default one
     * @throws ApiException 404 naming what is configured, when there is no such model or version
     */
    Entry resolve(String name, String version) {
        TreeMap<Long, Entry> versions = byName.get(name);
        if (versions == null) {
            throw new ApiException(404, "model_not_found", "no model named \"" + name + "\" is configured; the names are "
                    + names());
        }
        if (version == null) {
            return versions.getOrDefault(-1L, versions.lastEntry().getValue());
        }
        return find(versions, version).orElseThrow(() -> new ApiException(404, "model_not_found", "model \"" + name
                + "\" has no version \"" + version + "\"; its versions are " + versions(name)));
    }

    private static Optional<Entry> find(TreeMap<Long, Entry> versions, String version) {
        if (!version.matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(versions.get(Long.parseLong(version)));
    }
}
