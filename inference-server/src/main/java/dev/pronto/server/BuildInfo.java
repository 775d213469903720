package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and build commit of this server, as the build recorded them in
 * {@code dev/pronto/server/version.properties}; shown by {@code --version}, in the startup log and
 * at {@code GET /version}.
 *
 * @param version the Maven version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit the jar was built from, or {@code unknown} for a build
 *     without {@code .git} (the Docker build context leaves it out)
 */
public record BuildInfo(String version, String commit) {

    private static final BuildInfo CURRENT = load();

    /** This server's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code pronto 0.1.0 (commit 1a2b3c4d5e6f)}. */
    @Override
    public String toString() {
        return "pronto " + version + " (commit " + commit + ")";
    }

    private static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
    }

    /** A value the build did not fill in (an IDE copying resources unfiltered) is unknown, not {@code ${...}}. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}
