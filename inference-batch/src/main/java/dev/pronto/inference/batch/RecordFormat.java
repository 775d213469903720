package dev.pronto.inference.batch;

import java.util.Locale;
import java.util.Optional;

/** The line-oriented formats a batch of records can come in and go out as. */
public enum RecordFormat {
    /** Comma-separated values, RFC 4180 quoting, with or without a header row. */
    CSV("text/csv"),
    /** JSON Lines: one JSON object per line. */
    JSONL("application/jsonlines");

    private final String mediaType;

    RecordFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type in {@code Content-Type} and {@code Accept} headers. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The format of a media type, ignoring parameters and case; {@code application/jsonl},
     * {@code application/x-jsonlines} and {@code application/x-ndjson} are taken as JSON Lines, as clients send them.
     */
    public static Optional<RecordFormat> ofMediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "text/csv", "application/csv" -> Optional.of(CSV);
            case "application/jsonlines", "application/jsonl", "application/x-jsonlines", "application/x-ndjson",
                    "application/ndjson" -> Optional.of(JSONL);
            default -> Optional.empty();
        };
    }

    /** The format a file name's extension suggests ({@code .csv}, {@code .jsonl}, {@code .ndjson}). */
    public static Optional<RecordFormat> ofFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".jsonlines")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }
}
