package dev.pronto.pipeline.onnx.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX conformance corpus in {@code src/test/resources/onnx/conformance} (see its README):
 * networks with input rows and the outputs their training framework computed. Shared through the
 * test-jar so the server checks the same cases over HTTP.
 */
public final class OnnxCorpus {

    /** Root of the corpus on the class path. */
    public static final String ROOT = "/onnx/conformance/";
    private static final List<String> NAMES = List.of("onnx-IrisSklearnStyle", "onnx-IrisTorchProbabilities",
            "onnx-IrisPerFieldInputs", "onnx-IrisPetalWidthRegressor", "keras-IrisSeedShape");

    /**
     * One case.
     *
     * @param pipelineFilename the file {@code pipelineFilename} names, relative to the case folder
     * @param modelFilename {@code requestArguments.modelFilename} for a {@code keras} case, else null
     * @param toleranceAbs the largest absolute difference allowed for every number
     */
    public record Case(String name, String implementation, String pipelineFilename, String modelFilename,
            double toleranceAbs) {

        /** Whether this is the legacy {@code keras} request (pre-processing pickle + network). */
        public boolean keras() {
            return implementation.equalsIgnoreCase("keras");
        }

        /** A file of the case folder. */
        public byte[] file(String name) {
            return bytes(ROOT + this.name + "/" + name);
        }

        /** Input rows: every cell a number, as the corpus promises. */
        public List<Map<String, Object>> inputs() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, String> row : rows(this.name, "input.csv")) {
                Map<String, Object> record = new LinkedHashMap<>();
                row.forEach((column, cell) -> record.put(column, Double.parseDouble(cell)));
                rows.add(record);
            }
            return rows;
        }

        /**
         * Compares predicted values (labels or regression values) and probabilities, in class order,
         * with expected.csv by the README's rule: labels equal as text, numbers within the tolerance.
         *
         * @return at most ten differences; empty when everything matches
         */
        public List<String> mismatches(List<Object> values, List<List<Double>> probabilities) {
            List<Map<String, String>> expected = rows(name, "expected.csv");
            List<String> mismatches = new ArrayList<>();
            if (values.size() != expected.size()) {
                return List.of(expected.size() + " expected rows but " + values.size() + " predictions");
            }
            for (int row = 0; row < expected.size() && mismatches.size() < 10; row++) {
                List<String> cells = List.copyOf(expected.get(row).values());
                Object value = values.get(row);
                if (cells.size() == 1) {
                    number(mismatches, row, "value", cells.get(0), value);
                    continue;
                }
                if (value == null || !cells.get(0).equals(value.toString())) {
                    mismatches.add("row " + row + ": label expected " + cells.get(0) + " but got " + value);
                }
                List<Double> got = probabilities.get(row);
                if (got.size() != cells.size() - 1) {
                    mismatches.add("row " + row + ": " + (cells.size() - 1) + " probabilities expected, got " + got.size());
                    continue;
                }
                for (int j = 1; j < cells.size(); j++) {
                    number(mismatches, row, "probability(" + (j - 1) + ")", cells.get(j), got.get(j - 1));
                }
            }
            return mismatches;
        }

        private void number(List<String> mismatches, int row, String column, String expected, Object actual) {
            double want = Double.parseDouble(expected);
            if (!(actual instanceof Number number) || Math.abs(number.doubleValue() - want) > toleranceAbs) {
                mismatches.add("row " + row + ": " + column + " expected " + want + " but got " + actual
                        + " (tolerance_abs " + toleranceAbs + ")");
            }
        }
    }

    private OnnxCorpus() {
    }

    /** Every case of the corpus. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String name : NAMES) {
            String json = new String(bytes(ROOT + name + "/case.json"), StandardCharsets.UTF_8);
            cases.add(new Case(name, string(json, "implementation"), string(json, "pipelineFilename"),
                    string(json, "modelFilename"), Double.parseDouble(match(json, "\"tolerance_abs\"\\s*:\\s*([0-9.eE+-]+)"))));
        }
        return cases;
    }

    private static String string(String json, String key) {
        return match(json, "\"" + key + "\"\\s*:\\s*\"([^\"]*)\"");
    }

    private static String match(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static List<Map<String, String>> rows(String name, String file) {
        String[] lines = new String(bytes(ROOT + name + "/" + file), StandardCharsets.UTF_8).split("\n");
        String[] header = lines[0].trim().split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].trim().split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** A class-path resource's bytes. */
    public static byte[] bytes(String resource) {
        try (InputStream in = OnnxCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
