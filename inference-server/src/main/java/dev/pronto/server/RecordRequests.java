package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.inference.batch.RecordReader;
import dev.pronto.inference.toolkit.BoundedInputStream;
import io.javalin.http.Context;

/**
 * Reads a {@code POST /invocations} whose body is CSV or JSON Lines: the model is named by the query
 * parameters {@code pipelineFilename} and {@code implementation}, or by SageMaker's
 * {@code X-Amzn-SageMaker-Target-Model} header; {@code header=absent} says the CSV has no header row
 * (its cells are then the model's inputs in order); {@code outputFields=true} and {@code idColumn=C}
 * shape the answer. The body is read as a stream under the request limits, typed by the model's schema.
 * Thread-safe.
 */
final class RecordRequests {

    /** SageMaker's multi-model endpoint header: the model to score with. */
    static final String TARGET_MODEL_HEADER = "X-Amzn-SageMaker-Target-Model";
    static final String JSON = "application/json";

    private final ServerSettings settings;

    RecordRequests(ServerSettings settings) {
        this.settings = settings;
    }

    /**
     * A parsed CSV or JSON Lines request.
     *
     * @param invocation the records and model, as a JSON request would give them
     * @param answer the format to answer in, or empty for the seed's JSON answer
     * @param idColumn the input column copied to the answer, or {@code null}
     * @param ids the id column's value per record; empty without an id column
     */
    record Parsed(Invocation invocation, Optional<RecordFormat> answer, String idColumn, List<Object> ids) {
    }

    /** The model the request names: a query parameter, else the SageMaker header. */
    static String modelName(Context ctx) {
        String name = ctx.queryParam(HttpErrors.LOCATION_FIELD);
        if (name == null || name.isBlank()) {
            name = ctx.header(TARGET_MODEL_HEADER);
        }
        if (name == null || name.isBlank()) {
            throw ApiException.badField("missing_field", HttpErrors.LOCATION_FIELD, "a " + ctx.contentType()
                    + " request names its model with the query parameter pipelineFilename or the header "
                    + TARGET_MODEL_HEADER);
        }
        return name;
    }

    /**
     * Reads the body.
     *
     * @param requestBody the body, decoded and guarded against slow senders by the caller
     * @param declared the declared length, or a negative number if unknown
     * @param schema the schema of the named model, which types the CSV cells
     * @throws ApiException 413 over a limit, 400 for an empty body or a bad parameter, 406 for an {@code Accept}
     *     no format satisfies
     * @throws dev.pronto.inference.batch.BadRecordException 400 or 422 for a bad row, naming line and column
     */
    Parsed parse(Context ctx, RecordFormat format, InputStream requestBody, long declared, String model, ModelSchema schema)
            throws IOException {
        Optional<RecordFormat> answer = answerFormat(ctx.header("Accept"), format);
        boolean header = switch (Optional.ofNullable(ctx.queryParam("header")).orElse("present").toLowerCase(Locale.ROOT)) {
            case "present" -> true;
            case "absent" -> false;
            default -> throw ApiException.badField("invalid_value", "header", "the query parameter header must be "
                    + "present or absent, not \"" + ctx.queryParam("header") + "\"");
        };
        boolean outputFields = Boolean.parseBoolean(ctx.queryParam("outputFields"));
        String idColumn = ctx.queryParam("idColumn");
        if (declared > settings.maxBodyBytes()) {
            throw tooLarge();
        }
        List<Map<String, Object>> records = new ArrayList<>();
        InputStream body = new BoundedInputStream(requestBody, settings.maxBodyBytes());
        try (RecordReader in = RecordReader.open(format, body, schema, header)) {
            for (Map<String, Object> record = in.next(); record != null; record = in.next()) {
                if (records.size() >= settings.maxRecords()) {
                    throw new ApiException(413, "too_many_records", "the body holds more than " + settings.maxRecords()
                            + " records, the most one request may score", null, -1);
                }
                records.add(record);
            }
        } catch (BoundedInputStream.LimitExceededException e) {
            throw tooLarge();
        } catch (RequestBodies.TooSlowException e) {
            throw e.answer();
        }
        if (records.isEmpty()) {
            throw new ApiException(400, "invalid_request", "the body holds no records", null, -1);
        }
        List<Object> ids = new ArrayList<>();
        if (idColumn != null) {
            records.forEach(record -> ids.add(record.get(idColumn)));
        }
        Invocation invocation = new Invocation(records, model, ctx.queryParam("implementation"), false, outputFields, null);
        return new Parsed(invocation, answer, idColumn, ids);
    }

    /**
     * The format an {@code Accept} header asks for, by its q-values; a wildcard or no header means
     * the request's own format.
     *
     * @return empty for JSON
     */
    static Optional<RecordFormat> answerFormat(String accept, RecordFormat request) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(request);
        }
        List<String[]> ranges = new ArrayList<>();
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=")) {
                    q = parseQ(parameter.substring(2));
                }
            }
            if (q > 0) {
                ranges.add(new String[] {parts[0].trim().toLowerCase(Locale.ROOT), Double.toString(q)});
            }
        }
        ranges.sort(Comparator.comparingDouble((String[] r) -> Double.parseDouble(r[1])).reversed());
        for (String[] range : ranges) {
            String type = range[0];
            if (type.equals(JSON)) {
                return Optional.empty();
            }
            Optional<RecordFormat> format = RecordFormat.ofMediaType(type);
            if (format.isPresent()) {
                return format;
            }
            if (type.equals("*/*") || type.equals(request.mediaType().split("/")[0] + "/*")) {
                return Optional.of(request);
            }
            if (type.equals("application/*")) {
                return Optional.empty();
            }
        }
        throw new ApiException(406, "not_acceptable", "the answer can be application/json, text/csv or "
                + "application/jsonlines; the request's Accept header allows none of them: " + accept, null, -1);
    }

    private static double parseQ(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "body_too_large", "the request body is larger than " + settings.maxBodyBytes()
                + " bytes", null, -1);
    }
}
