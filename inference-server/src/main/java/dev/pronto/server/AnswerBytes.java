package dev.pronto.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.pronto.inference.Prediction;

/**
 * The seed's answer without {@code responseArguments} ({@code predictions}, then {@code predictions_prob} and
 * {@code classes} when the model yields probabilities), written straight into one byte array: the same
 * bytes as {@link InvocationResponse}'s Jackson generator gives (tests compare them), at a fraction of the
 * cost for the common shape of an answer.
 *
 * <p>Why: with 100 records the answer is 400 numbers and 100 labels; the generator makes a {@code String}
 * per number and checks its context and escapes every label for each value. Here the constant parts are
 * bytes made once, the labels are encoded once per model (their JSON text is kept beside the last class
 * list seen), and numbers are written by {@link DoubleText} into the array itself.
 *
 * <p>Values of types other than {@code String}, {@code Integer}, {@code Long}, {@code Double} and
 * {@code Boolean} are left to the generator: {@link #write} then answers {@code null}. Thread-safe.
 */
final class AnswerBytes {

    private static final byte[] PREDICTIONS = ascii("{\"predictions\":[");
    private static final byte[] PROBABILITIES = ascii("],\"predictions_prob\":[");
    private static final byte[] CLASSES = ascii("],\"classes\":[");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    // as Jackson writes non-finite doubles by default (QUOTE_NON_NUMERIC_NUMBERS): quoted
    private static final byte[] NAN = ascii("\"NaN\"");
    private static final byte[] INFINITY = ascii("\"Infinity\"");
    private static final byte[] MINUS_INFINITY = ascii("\"-Infinity\"");
    /** Room for the longest number, integer or double. */
    private static final int NUMBER_ROOM = 24;

    /** The labels of the last class list answered, with their JSON text; a stale read only encodes them again. */
    private volatile Labels last = new Labels(new Object[0], new byte[0][]);

    private record Labels(Object[] classes, byte[][] text) {
    }

    /** A growing byte array. */
    private static final class Out {
        byte[] bytes;
        int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
            }
        }

        void add(byte[] part) {
            room(part.length);
            System.arraycopy(part, 0, bytes, size, part.length);
            size += part.length;
        }

        void add(byte b) {
            room(1);
            bytes[size++] = b;
        }
    }

    /**
     * Writes the answer to {@code body} in one call.
     *
     * @return {@code false}, having written nothing, when a value's type is one this writer leaves to the generator,
     *     or while {@link DoubleText} is still computing its table (the first answers of a server)
     */
    boolean write(List<Prediction> predictions, OutputStream body) throws IOException {
        if (!DoubleText.ready()) {
            return false;
        }
        Labels labels = labels(predictions);
        int perRecord = 16 + labels.classes().length * NUMBER_ROOM;
        Out out = new Out(64 + predictions.size() * perRecord);
        out.add(PREDICTIONS);
        for (int i = 0; i < predictions.size(); i++) {
            if (i > 0) {
                out.add((byte) ',');
            }
            if (!value(out, predictions.get(i).value(), labels)) {
                return false;
            }
        }
        if (labels.classes().length > 0) {
            out.add(PROBABILITIES);
            for (int i = 0; i < predictions.size(); i++) {
                if (i > 0) {
                    out.add((byte) ',');
                }
                probabilities(out, predictions.get(i).probabilities(), labels.classes());
            }
            out.add(CLASSES);
            for (int c = 0; c < labels.classes().length; c++) {
                if (c > 0) {
                    out.add((byte) ',');
                }
                out.add(labels.text()[c]);
            }
        }
        out.add((byte) ']');
        out.add((byte) '}');
        body.write(out.bytes, 0, out.size);
        return true;
    }

    /** The classes of the first prediction with probabilities (as {@link InvocationResponse} takes them), with their text. */
    private Labels labels(List<Prediction> predictions) {
        Map<Object, Double> first = Map.of();
        for (Prediction prediction : predictions) {
            if (!prediction.probabilities().isEmpty()) {
                first = prediction.probabilities();
                break;
            }
        }
        Labels known = last;
        if (first.size() == known.classes().length) {
            int c = 0;
            for (Object label : first.keySet()) {
                if (label != known.classes()[c]) {
                    break;
                }
                c++;
            }
            if (c == known.classes().length) {
                return known;
            }
        }
        Object[] classes = first.keySet().toArray();
        byte[][] text = new byte[classes.length][];
        for (int c = 0; c < classes.length; c++) {
            text[c] = text(classes[c]);
            if (text[c] == null) {
                // a label type left to the generator: no probabilities written here
                return new Labels(classes, null);
            }
        }
        Labels fresh = new Labels(classes, text);
        last = fresh;
        return fresh;
    }

    private static boolean value(Out out, Object value, Labels labels) {
        if (labels.text() == null) {
            return false;
        }
        Object[] classes = labels.classes();
        for (int c = 0; c < classes.length; c++) {
            if (classes[c] == value) {
                out.add(labels.text()[c]);
                return true;
            }
        }
        if (value instanceof Double number) {
            number(out, number);
            return true;
        }
        byte[] text = text(value);
        if (text == null) {
            return false;
        }
        out.add(text);
        return true;
    }

    private static void probabilities(Out out, Map<Object, Double> probabilities, Object[] classes) {
        if (probabilities.isEmpty()) {
            // a record the model could not classify: no distribution to report
            out.add(NULL);
            return;
        }
        out.add((byte) '[');
        for (int c = 0; c < classes.length; c++) {
            if (c > 0) {
                out.add((byte) ',');
            }
            Double p = probabilities.get(classes[c]);
            if (p == null) {
                out.add(NULL);
            } else {
                number(out, p);
            }
        }
        out.add((byte) ']');
    }

    private static void number(Out out, double value) {
        if (Double.isNaN(value)) {
            out.add(NAN);
        } else if (Double.isInfinite(value)) {
            out.add(value > 0 ? INFINITY : MINUS_INFINITY);
        } else {
            out.room(DoubleText.MAX_LENGTH);
            out.size = DoubleText.write(value, out.bytes, out.size);
        }
    }

    /** The JSON text of a label or value, or {@code null} for a type left to the generator. */
    private static byte[] text(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Integer || value instanceof Long) {
            return ascii(value.toString());
        }
        if (value instanceof Boolean flag) {
            return flag ? TRUE : FALSE;
        }
        if (value instanceof Double number) {
            Out out = new Out(NUMBER_ROOM);
            number(out, number);
            return Arrays.copyOf(out.bytes, out.size);
        }
        return null;
    }

    /**
     * A string as the generator writes it: Jackson's escapes, and a character outside the Basic Multilingual Plane
     * as its escaped surrogate pair (which the encoder alone would write as four bytes of UTF-8), by the generator.
     */
    private static byte[] string(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                try {
                    return ServerApp.MAPPER.writeValueAsBytes(text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return null;
                }
            }
        }
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] json = new byte[quoted.length + 2];
        json[0] = '"';
        System.arraycopy(quoted, 0, json, 1, quoted.length);
        json[json.length - 1] = '"';
        return json;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
