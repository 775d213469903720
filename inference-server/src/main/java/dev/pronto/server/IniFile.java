package dev.pronto.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INI file read as the seed service read it, with Python's {@code configparser} and its default
 * {@code BasicInterpolation}: {@code [Section]} headers, {@code key = value} or {@code key: value}
 * lines split at the first delimiter, full-line comments starting with {@code #} or {@code ;},
 * continuation lines indented deeper than their key, keys compared without case, duplicate
 * sections or keys refused, {@code %%} read as {@code %}, {@code %(name)s} replaced by the value of
 * {@code name} in the same section or in {@code [DEFAULT]}, and any other {@code %} refused.
 * {@code [DEFAULT]} serves only as a source of {@code %(name)s} values: its keys are not copied into
 * every section, since each section accepts only its own keys. {@code IniFileParityTest} checks all
 * this against configparser's own results.
 *
 * @param file the file as named to the operator in messages
 * @param entries every key in file order, values interpolated, {@code [DEFAULT]} left out
 */
record IniFile(String file, List<Entry> entries) {

    /** configparser's name for the section whose keys every section can refer to. */
    static final String DEFAULT_SECTION = "DEFAULT";
    /** configparser's {@code MAX_INTERPOLATION_DEPTH}. */
    private static final int MAX_DEPTH = 10;
    private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]+)\\)s");

    /**
     * One key of the file.
     *
     * @param section the section name as written
     * @param key the key as written
     * @param value the value, trimmed, interpolated; continuation lines joined with a newline
     * @param line the 1-based line of the key
     */
    record Entry(String section, String key, String value, int line) {
    }

    IniFile {
        entries = List.copyOf(entries);
    }

    /**
     * Reads and parses a file.
     *
     * @throws ConfigException if the file cannot be read or is not valid INI, naming file and line
     */
    static IniFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": configuration file not found");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read configuration file (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(path.toString(), text);
    }

    /**
     * Parses INI text; {@code file} names it in messages.
     *
     * @throws ConfigException naming file and line, or file, section and key, never quoting a value
     */
    static IniFile parse(String file, String text) {
        List<Raw> raw = new Parser(file).parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (Raw entry : raw) {
            sections.computeIfAbsent(entry.section, s -> new LinkedHashMap<>()).put(normalKey(entry.key), entry.value());
        }
        List<Entry> entries = new ArrayList<>();
        for (Raw entry : raw) {
            if (!entry.section.equals(DEFAULT_SECTION)) {
                String where = file + " [" + entry.section + "] " + entry.key;
                String value = interpolate(where, entry.value(), sections.get(entry.section),
                        sections.getOrDefault(DEFAULT_SECTION, Map.of()), 1);
                entries.add(new Entry(entry.section, entry.key, value, entry.line));
            }
        }
        return new IniFile(file, entries);
    }

    /** The lower-case form under which keys are compared, as configparser's {@code optionxform} makes it. */
    static String normalKey(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    /** configparser's {@code BasicInterpolation._interpolate_some}, step for step. */
    private static String interpolate(String where, String value, Map<String, String> section, Map<String, String> defaults,
            int depth) {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(where + ": %(name)s references nest deeper than " + MAX_DEPTH
                    + " (a reference to itself?)");
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < value.length()) {
            int percent = value.indexOf('%', at);
            if (percent < 0) {
                out.append(value, at, value.length());
                break;
            }
            out.append(value, at, percent);
            char next = percent + 1 < value.length() ? value.charAt(percent + 1) : 0;
            if (next == '%') {
                out.append('%');
                at = percent + 2;
            } else if (next == '(') {
                Matcher m = REFERENCE.matcher(value).region(percent, value.length());
                if (!m.lookingAt()) {
                    throw new ConfigException(where + ": a reference must have the form %(name)s; write %% for a literal %");
                }
                String name = normalKey(m.group(1));
                String referenced = section.containsKey(name) ? section.get(name) : defaults.get(name);
                if (referenced == null) {
                    throw new ConfigException(where + ": %(" + m.group(1) + ")s names no key of this section or of [DEFAULT]");
                }
                out.append(referenced.indexOf('%') >= 0 ? interpolate(where, referenced, section, defaults, depth + 1) : referenced);
                at = m.end();
            } else {
                throw new ConfigException(where + ": '%' must be followed by '%' or '(' as in Python's configparser; "
                        + "write %% for a literal %");
            }
        }
        return out.toString();
    }

    /** A key before interpolation; its value lines are joined at the end, as configparser joins them. */
    private static final class Raw {
        final String section;
        final String key;
        final int line;
        final List<String> lines = new ArrayList<>();

        Raw(String section, String key, String first, int line) {
            this.section = section;
            this.key = key;
            this.line = line;
            lines.add(first);
        }

        String value() {
            return String.join("\n", lines).stripTrailing();
        }
    }

    /** configparser's {@code RawConfigParser._read} with its default options. */
    private static final class Parser {
        private final String file;

        Parser(String file) {
            this.file = file;
        }

        List<Raw> parse(String text) {
            List<Raw> entries = new ArrayList<>();
            List<String> sections = new ArrayList<>();
            String section = null;
            Raw current = null;
            int indentLevel = 0;
            String[] lines = text.split("\r?\n|\r", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                int number = i + 1;
                String value = line.strip();
                if (value.startsWith("#") || value.startsWith(";")) {
                    continue;
                }
                if (value.isEmpty()) {
                    // a blank line belongs to the value above if a continuation line follows; trailing ones are stripped
                    if (current != null) {
                        current.lines.add("");
                    }
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                if (current != null && indent > indentLevel) {
                    current.lines.add(value);
                    continue;
                }
                indentLevel = indent;
                if (value.startsWith("[")) {
                    if (!value.endsWith("]") || value.length() < 3) {
                        throw new ConfigException(file + " line " + number + ": malformed section header");
                    }
                    section = value.substring(1, value.length() - 1).strip();
                    if (sections.contains(section) && !section.equals(DEFAULT_SECTION)) {
                        throw new ConfigException(file + " line " + number + ": section [" + section + "] appears twice");
                    }
                    sections.add(section);
                    current = null;
                    continue;
                }
                if (section == null) {
                    throw new ConfigException(file + " line " + number + ": key before the first [Section] header");
                }
                int delimiter = firstDelimiter(value);
                if (delimiter <= 0) {
                    throw new ConfigException(file + " line " + number + ": expected 'key = value' or a [Section] header");
                }
                String key = value.substring(0, delimiter).strip();
                for (Raw entry : entries) {
                    if (entry.section.equals(section) && entry.key.equalsIgnoreCase(key)) {
                        throw new ConfigException(file + " [" + section + "] " + key + ": key appears twice (lines "
                                + entry.line + " and " + number + ")");
                    }
                }
                current = new Raw(section, key, value.substring(delimiter + 1).strip(), number);
                entries.add(current);
            }
            return entries;
        }

        private static int firstDelimiter(String line) {
            int equals = line.indexOf('=');
            int colon = line.indexOf(':');
            if (equals < 0) {
                return colon;
            }
            return colon < 0 ? equals : Math.min(equals, colon);
        }
    }
}
