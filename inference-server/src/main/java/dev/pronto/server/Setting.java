package dev.pronto.server;

/**
 * One configuration value and where it came from, so that every message about it can name its
 * origin without quoting the value (which may be a secret).
 *
 * @param section the canonical section name, e.g. {@code Limits}
 * @param key the key as the server spells it (fixed sections) or as the operator wrote it (open sections)
 * @param value the value as given; never shown for secret keys
 * @param origin a file name, {@code environment variable NAME} or {@code flag --name}
 */
record Setting(String section, String key, String value, String origin) {

    /** Whether the value came from a file, the lowest-precedence source. */
    boolean fromFile() {
        return !fromEnvironment() && !fromFlag();
    }

    boolean fromEnvironment() {
        return origin.startsWith("environment variable ");
    }

    boolean fromFlag() {
        return origin.startsWith("flag ");
    }

    /**
     * Where the setting came from in the operator's terms:
     * {@code configs/prod/project.properties [Limits] max_records} or
     * {@code environment variable PRONTO_LIMITS_MAX_RECORDS ([Limits] max_records)}.
     */
    String describe() {
        if (fromFile()) {
            return origin + " [" + section + "] " + key;
        }
        return origin + " ([" + section + "] " + key + ")";
    }
}
