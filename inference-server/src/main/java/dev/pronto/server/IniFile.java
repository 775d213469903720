package dev.pronto.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An INI file as the seed service read it with Python's {@code configparser}: {@code [Section]}
 * headers, {@code key = value} or {@code key: value} lines, full-line comments starting with
 * {@code #} or {@code ;}, indented continuation lines, keys compared without case, and duplicate
 * sections or keys refused. Interpolation ({@code %(name)s}) is not supported; the seed's files
 * do not use it.
 *
 * @param file the file as named to the operator in messages
 * @param entries every key in file order
 */
record IniFile(String file, List<Entry> entries) {

    /**
     * One key of the file.
     *
     * @param section the section name as written
     * @param key the key as written
     * @param value the value, trimmed; continuation lines joined with a newline
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

    /** Parses INI text; {@code file} names it in messages. */
    static IniFile parse(String file, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Entry> entries = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        String section = null;
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String line = raw.strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (indented && !entries.isEmpty() && entries.get(entries.size() - 1).section().equals(section)) {
                Entry last = entries.remove(entries.size() - 1);
                String joined = last.value().isEmpty() ? line : last.value() + "\n" + line;
                entries.add(new Entry(last.section(), last.key(), joined, last.line()));
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfigException(file + " line " + number + ": malformed section header");
                }
                section = line.substring(1, line.length() - 1).strip();
                for (String seen : sections) {
                    if (seen.equals(section)) {
                        throw new ConfigException(file + " line " + number + ": section [" + section + "] appears twice");
                    }
                }
                sections.add(section);
                continue;
            }
            int delimiter = firstDelimiter(line);
            if (delimiter <= 0) {
                throw new ConfigException(file + " line " + number + ": expected 'key = value' or a [Section] header");
            }
            if (section == null) {
                throw new ConfigException(file + " line " + number + ": key before the first [Section] header");
            }
            String key = line.substring(0, delimiter).strip();
            String value = line.substring(delimiter + 1).strip();
            for (Entry entry : entries) {
                if (entry.section().equals(section) && entry.key().equalsIgnoreCase(key)) {
                    throw new ConfigException(file + " [" + section + "] " + key + ": key appears twice (lines "
                            + entry.line() + " and " + number + ")");
                }
            }
            entries.add(new Entry(section, key, value, number));
        }
        return new IniFile(file, entries);
    }

    private static int firstDelimiter(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    /** The lower-case form under which keys are compared, as configparser does. */
    static String normalKey(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
