package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pronto.inference.batch.JsonValues;
import dev.pronto.inference.toolkit.BoundedInputStream;

/**
 * Reads a {@code POST /invocations} body token by token, so that a batch over the record limit
 * or a body over the size limit is refused as soon as it is seen, and every mistake names its field
 * and record.
 *
 * <p>The payload may be row-oriented, {@code [{"f1": 1, "f2": "a"}, ...]}, or column-oriented,
 * {@code {"f1": [1, 2], "f2": ["a", "b"]}}, as the seed accepted both through pandas. Values must
 * be numbers, strings, booleans or null. Thread-safe: one instance serves all requests.
 */
final class InvocationParser {

    private static final String PAYLOAD = "payload";
    /** Jackson's "(start marker at [Source: ...; line: 1, column: 13])": noise for a client, we add line and column. */
    private static final Pattern SOURCE_DETAIL = Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)|\\s*\\[Source: [^\\]]*\\]");
    private static final String IMPLEMENTATION = "implementation";
    private static final String REQUEST_ARGUMENTS = "requestArguments";
    private static final String IS_LEAF_NUMBER = "isLeafNumber";
    private static final String OUTPUT_FIELDS = "outputFields";
    /** The network of a legacy {@code keras} request (see {@link KerasRequests}). */
    static final String MODEL_FILENAME = "modelFilename";

    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final int maxRecords;
    /** The readers as fields: a method reference made per request would be an allocation per request. */
    private final BodyReader<Invocation> requestReader = this::parseRequest;
    private final BodyReader<JsonNode> treeReader = this::parseWholeTree;

    InvocationParser(ObjectMapper json, ServerSettings settings) {
        this.json = json;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.maxRecords = settings.maxRecords();
    }

    /**
     * Parses a request body.
     *
     * @param contentLength the declared length, or a negative number if unknown (chunked)
     * @throws ApiException 400 for malformed or invalid requests, 413 over a limit
     */
    Invocation parse(InputStream body, long contentLength) {
        return read(body, contentLength, requestReader);
    }

    /**
     * Reads a whole JSON body as a tree, with the same limits and error messages as {@link #parse};
     * for the protocols whose requests are small tensors rather than long record streams.
     */
    JsonNode parseTree(InputStream body, long contentLength) {
        return read(body, contentLength, treeReader);
    }

    private JsonNode parseWholeTree(JsonParser in) throws IOException {
        JsonNode tree = json.readTree(in);
        if (tree == null) {
            throw new ApiException(400, "malformed_json", "the request body is empty", null, -1);
        }
        if (in.nextToken() != null) {
            throw new ApiException(400, "malformed_json", "unexpected content after the request's JSON value", null, -1);
        }
        return tree;
    }

    /**
     * Checks that a request read as a tree is an object holding only the given fields.
     *
     * @param fields the fields the request may have, in the order messages list them
     * @param required the field to name when the body is not an object at all
     * @throws ApiException 400 naming the unknown field and listing the known ones
     */
    static void requireFields(JsonNode body, List<String> fields, String required) {
        if (!body.isObject()) {
            throw new ApiException(400, "invalid_request", "the request body must be a JSON object with \"" + required + "\"");
        }
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ApiException.badField("unknown_field", name, "unknown request field \"" + name + "\"; the fields are "
                        + String.join(", ", fields.subList(0, fields.size() - 1)) + " and " + fields.get(fields.size() - 1));
            }
        }
    }

    /** A step that reads a request from the parser. */
    private interface BodyReader<T> {
        T read(JsonParser in) throws IOException;
    }

    private <T> T read(InputStream body, long contentLength, BodyReader<T> reader) {
        if (contentLength > maxBodyBytes) {
            throw tooLarge();
        }
        try (JsonParser in = json.createParser(new BoundedInputStream(body, maxBodyBytes))) {
            return reader.read(in);
        } catch (BoundedInputStream.LimitExceededException e) {
            throw tooLarge();
        } catch (RequestBodies.TooSlowException e) {
            throw e.answer();
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", "the request body is not valid JSON: "
                    + jsonReason(e.getOriginalMessage()) + location(e), null, -1);
        } catch (java.util.zip.ZipException e) {
            throw new ApiException(400, "malformed_body", "the request body could not be decoded as its Content-Encoding "
                    + "says: it is not valid compressed data", null, -1);
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the request body could not be read completely", null, -1);
        }
    }

    private Invocation parseRequest(JsonParser in) throws IOException {
        // duplicate keys are refused below as each object is read, where a set of the names seen already exists
        // (the record table's slots); Jackson's detector would keep a second one per object: 5 % of a 100-record request
        in.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        if (in.nextToken() != JsonToken.START_OBJECT) {
            throw new ApiException(400, "invalid_request", "the request body must be a JSON object with the fields "
                    + "payload and pipelineFilename, and optionally implementation and requestArguments", null, -1);
        }
        List<Map<String, Object>> records = null;
        String location = null;
        String implementation = null;
        Map<String, Object> arguments = Map.of();
        int seen = 0;
        for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
            int bit = switch (name) {
                case PAYLOAD -> 1;
                case HttpErrors.LOCATION_FIELD -> 2;
                case IMPLEMENTATION -> 4;
                case REQUEST_ARGUMENTS -> 8;
                default -> 0;
            };
            if ((seen & bit) != 0) {
                throw duplicate(in, name);
            }
            seen |= bit;
            JsonToken token = in.nextToken();
            switch (name) {
                case PAYLOAD -> records = token == JsonToken.VALUE_NULL ? null : payload(in, token);
                case HttpErrors.LOCATION_FIELD -> location = text(in, token, HttpErrors.LOCATION_FIELD);
                case IMPLEMENTATION -> implementation = text(in, token, IMPLEMENTATION);
                case REQUEST_ARGUMENTS -> arguments = requestArguments(in, token);
                default -> throw ApiException.badField("unknown_field", name, "unknown request field \"" + name
                        + "\"; the fields are payload, pipelineFilename, implementation and requestArguments");
            }
        }
        if (in.nextToken() != null) {
            throw new ApiException(400, "malformed_json", "unexpected content after the request's JSON object", null, -1);
        }
        if (records == null) {
            throw missing(PAYLOAD);
        }
        if (location == null) {
            throw missing(HttpErrors.LOCATION_FIELD);
        }
        // implementation may be absent or null: clients of other protocols never send it, and the file extension decides
        return new Invocation(records, location, implementation, Boolean.TRUE.equals(arguments.get(IS_LEAF_NUMBER)),
                Boolean.TRUE.equals(arguments.get(OUTPUT_FIELDS)), (String) arguments.get(MODEL_FILENAME));
    }

    private List<Map<String, Object>> payload(JsonParser in, JsonToken token) throws IOException {
        List<Map<String, Object>> records = switch (token) {
            case START_ARRAY -> rows(in);
            case START_OBJECT -> columns(in);
            default -> throw ApiException.badField("invalid_type", PAYLOAD,
                    "payload must be an array of records or an object of columns, not " + describe(token));
        };
        if (records.isEmpty()) {
            throw ApiException.badField("invalid_request", PAYLOAD, "payload holds no records");
        }
        return records;
    }

    private List<Map<String, Object>> rows(JsonParser in) throws IOException {
        CompactRecords compact = new CompactRecords();
        for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
            int index = compact.size();
            if (index >= maxRecords) {
                throw tooManyRecords();
            }
            if (token != JsonToken.START_OBJECT) {
                throw ApiException.badRecord(PAYLOAD, index, "record " + index + " must be a JSON object of field "
                        + "values, not " + describe(token));
            }
            compact.begin();
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                int slot = compact.slot(field);
                if (slot < 0) {
                    throw duplicate(in, field);
                }
                compact.set(slot, value(in, in.nextToken(), field, index));
            }
            compact.end();
        }
        return compact.records();
    }

    private List<Map<String, Object>> columns(JsonParser in) throws IOException {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        int rows = -1;
        for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
            if (columns.containsKey(field)) {
                throw duplicate(in, field);
            }
            if (in.nextToken() != JsonToken.START_ARRAY) {
                throw ApiException.badField("invalid_type", field, "column \"" + field + "\" of a column-oriented "
                        + "payload must be an array of values, not " + describe(in.currentToken()));
            }
            List<Object> values = new ArrayList<>();
            for (JsonToken token = in.nextToken(); token != JsonToken.END_ARRAY; token = in.nextToken()) {
                if (values.size() >= maxRecords) {
                    throw tooManyRecords();
                }
                values.add(value(in, token, field, values.size()));
            }
            if (rows >= 0 && values.size() != rows) {
                throw ApiException.badField("invalid_request", field, "column \"" + field + "\" has " + values.size()
                        + " values but the columns before it have " + rows);
            }
            rows = values.size();
            columns.put(field, values);
        }
        CompactRecords compact = new CompactRecords();
        for (int row = 0; row < rows; row++) {
            compact.begin();
            for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
                compact.put(column.getKey(), column.getValue().get(row));
            }
            compact.end();
        }
        return compact.records();
    }

    private static Object value(JsonParser in, JsonToken token, String field, int record) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> in.getNumberValue();
            case VALUE_NUMBER_FLOAT -> FiniteValues.number(in.getDoubleValue(), in, field, record);
            case VALUE_STRING -> FiniteValues.text(in.getText(), field, record);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new ApiException(400, "invalid_type", "record " + record + ", field \"" + field
                    + "\": expected a number, string, boolean or null, not " + describe(token), field, record);
        };
    }

    /**
     * Jackson's reason, without what names Jackson itself (its feature flags and limits, in backquotes)
     * and with the source marker it appends: a client needs what is wrong with its JSON, not our parser's
     * settings.
     */
    static String jsonReason(String message) {
        String reason = SOURCE_DETAIL.matcher(String.valueOf(message)).replaceAll("");
        if (reason.startsWith("Non-standard token")) {
            return reason.replaceAll(":?\\s*enable `[^`]*` to allow", "") + ": NaN and Infinity are not numbers in JSON";
        }
        reason = reason.replaceAll(",?\\s*from `[^`]*`", "").replaceAll("`[^`]*`", "");
        return reason.length() <= 300 ? reason : reason.substring(0, 300) + "...";
    }

    private static String text(JsonParser in, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw ApiException.badField("invalid_type", field, field + " must be a string, not " + describe(token));
        }
        return in.getText();
    }

    private static Map<String, Object> requestArguments(JsonParser in, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (token != JsonToken.START_OBJECT) {
            throw ApiException.badField("invalid_type", REQUEST_ARGUMENTS, "requestArguments must be an object, not "
                    + describe(token));
        }
        Map<String, Object> arguments = new HashMap<>();
        for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
            if (arguments.containsKey(name)) {
                throw duplicate(in, name);
            }
            JsonToken value = in.nextToken();
            String field = REQUEST_ARGUMENTS + "." + name;
            if (name.equals(MODEL_FILENAME)) {
                arguments.put(name, text(in, value, field));
                continue;
            }
            if (!name.equals(IS_LEAF_NUMBER) && !name.equals(OUTPUT_FIELDS)) {
                throw ApiException.badField("unknown_field", field, "unknown request argument \"" + name
                        + "\"; the known arguments are " + IS_LEAF_NUMBER + ", " + OUTPUT_FIELDS + " and " + MODEL_FILENAME);
            }
            // the seed's clients send the string "true"; a JSON boolean means the same
            boolean flag = switch (value) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE, VALUE_NULL -> false;
                case VALUE_STRING -> switch (in.getText().toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw ApiException.badField("invalid_value", field, field + " must be \"true\" or \"false\"");
                };
                default -> throw ApiException.badField("invalid_type", field, field + " must be \"true\" or \"false\", not "
                        + describe(value));
            };
            arguments.put(name, flag);
        }
        return arguments;
    }

    /**
     * A key given twice in one object, refused as Jackson's duplicate detection refused it (the same message,
     * answered as malformed JSON), located at the second occurrence of the key.
     */
    private static JsonParseException duplicate(JsonParser in, String name) {
        return new JsonParseException(in, "Duplicate field '" + name + "'", in.currentTokenLocation());
    }

    private static ApiException missing(String field) {
        return ApiException.badField("missing_field", field, "the request has no " + field + " (or it is null)");
    }

    private ApiException tooManyRecords() {
        return new ApiException(413, "too_many_records", "the payload holds more than " + maxRecords
                + " records, the most one request may score", PAYLOAD, -1);
    }

    private ApiException tooLarge() {
        return new ApiException(413, "body_too_large", "the request body is larger than " + maxBodyBytes + " bytes", null, -1);
    }

    private static String describe(JsonToken token) {
        return token == null ? "the end of the body" : JsonValues.describe(token);
    }

    private static String location(JsonProcessingException e) {
        if (e.getLocation() == null || e.getLocation().getLineNr() < 1) {
            return "";
        }
        return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
