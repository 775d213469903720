package dev.pronto.server;

/**
 * A client mistake or a server condition found by the HTTP layer itself, before or around the
 * engine: malformed JSON, a missing field, a body or batch over the limits, a timeout. Carries
 * everything the error body needs; {@link HttpErrors} writes it.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final int record;

    ApiException(int status, String code, String message, String field, int record) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.record = record;
    }

    ApiException(int status, String code, String message) {
        this(status, code, message, null, -1);
    }

    /** 400 about one request field. */
    static ApiException badField(String code, String field, String message) {
        return new ApiException(400, code, message, field, -1);
    }

    /** 400 about one field of one record. */
    static ApiException badRecord(String field, int record, String message) {
        return new ApiException(400, "invalid_request", message, field, record);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }

    int record() {
        return record;
    }
}
