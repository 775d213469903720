package dev.pronto.server;

/**
 * Invalid server configuration. The message is one line naming where the value came from (file and
 * section, environment variable or flag), the key and the reason; it never quotes a value, which may
 * be a secret. {@link Main} prints it and exits with status 2.
 */
public final class ConfigException extends RuntimeException {

    /** Creates an exception whose message is shown to the operator as it is. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates an exception whose message is shown to the operator as it is, keeping the cause for debugging. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
