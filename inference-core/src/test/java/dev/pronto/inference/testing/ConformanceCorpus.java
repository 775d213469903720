package dev.pronto.inference.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.Prediction;

/**
 * The conformance corpus in {@code src/test/resources/conformance} (see its README): real models
 * with inputs and the outputs that the training libraries computed, and the rule to compare them.
 * Shared through the test-jar so the server checks the same cases over HTTP.
 */
public final class ConformanceCorpus {

    /** Root of the corpus on the class path. */
    public static final String ROOT = "/conformance/";

    /**
     * One case: model, input rows, expected rows and tolerance.
     *
     * @param folder the class-path folder holding the case's files, ending in {@code /}; other
     *     modules use it for fixtures of their own laid out like the corpus
     */
    public record Case(String name, String task, double relTol, double absTol, String folder) {

        /** A case of this corpus. */
        public Case(String name, String task, double relTol, double absTol) {
            this(name, task, relTol, absTol, ROOT + "cases/" + name + "/");
        }

        public byte[] model() {
            return bytes(folder + "model.pmml");
        }

        /** The original scikit-learn pickle from which model.pmml was converted; {@code sklearn-*} cases only. */
        public byte[] pickle() {
            return bytes(folder + "model.pkl");
        }

        /** Input rows as maps of column name to raw string; missing values ({@code N/A}, {@code NA}) are null. */
        public List<Map<String, Object>> inputs() {
            return rows("input.csv", true);
        }

        /** Expected rows as maps of result field name to the cell text. */
        public List<Map<String, Object>> expected() {
            return rows("expected.csv", false);
        }

        private List<Map<String, Object>> rows(String file, boolean missingAsNull) {
            String[] lines = new String(bytes(folder + file), StandardCharsets.UTF_8).split("\n");
            String[] header = lines[0].split(",", -1);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                String[] cells = lines[i].split(",", -1);
                if (cells.length != header.length) {
                    throw new IllegalStateException(name + "/" + file + " line " + (i + 1) + ": " + cells.length
                            + " cells for " + header.length + " columns");
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 0; c < header.length; c++) {
                    boolean missing = cells[c].equals("N/A") || cells[c].equals("NA");
                    row.put(header[c], missingAsNull && missing ? null : cells[c]);
                }
                rows.add(row);
            }
            return rows;
        }

        /**
         * Compares every expected cell of every row with the predictions' result fields.
         *
         * @return at most {@code limit} descriptions of differences; empty when everything matches
         */
        public List<String> mismatches(List<Prediction> predictions, int limit) {
            List<Map<String, Object>> expected = expected();
            List<String> mismatches = new ArrayList<>();
            if (predictions.size() != expected.size()) {
                mismatches.add(expected.size() + " expected rows but " + predictions.size() + " predictions");
                return mismatches;
            }
            for (int row = 0; row < expected.size() && mismatches.size() < limit; row++) {
                Map<String, Object> fields = predictions.get(row).fields();
                for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                    String mismatch = mismatch(cell.getKey(), (String) cell.getValue(), fields.get(cell.getKey()));
                    if (mismatch != null && mismatches.size() < limit) {
                        mismatches.add("row " + row + ": " + mismatch);
                    }
                }
            }
            return mismatches;
        }

        /**
         * Compares one expected cell with the actual result value by the corpus README's rule.
         *
         * @return null if they match, otherwise a description of the difference
         */
        public String mismatch(String column, String expected, Object actual) {
            if (actual == null) {
                return column + ": expected " + expected + " but the result has no value";
            }
            if (actual instanceof Number number) {
                double want;
                try {
                    want = Double.parseDouble(expected);
                } catch (NumberFormatException e) {
                    return column + ": expected \"" + expected + "\" but got the number " + actual;
                }
                double got = number.doubleValue();
                boolean close = Math.abs(got - want) <= relTol * Math.abs(want)
                        || (Math.abs(want) <= absTol && Math.abs(got) <= absTol);
                return close ? null : column + ": expected " + want + " but got " + got + " (|diff| "
                        + Math.abs(got - want) + ", rel_tol " + relTol + ", abs_tol " + absTol + ")";
            }
            if (actual instanceof Boolean) {
                return Boolean.valueOf(expected).equals(actual) ? null : column + ": expected " + expected + " but got " + actual;
            }
            return expected.equals(actual.toString()) ? null
                    : column + ": expected \"" + expected + "\" but got \"" + actual + "\"";
        }
    }

    private ConformanceCorpus() {
    }

    /** Every case of the corpus, in the order of {@code tolerances.csv}. */
    public static List<Case> cases() {
        Map<String, String> tasks = new LinkedHashMap<>();
        for (String line : lines(ROOT + "cases.csv")) {
            String[] cells = line.split(",", 3);
            tasks.put(cells[0], cells[1]);
        }
        List<Case> cases = new ArrayList<>();
        for (String line : lines(ROOT + "tolerances.csv")) {
            String[] cells = line.split(",", 4);
            cases.add(new Case(cells[0], tasks.get(cells[0]), Double.parseDouble(cells[1]), Double.parseDouble(cells[2])));
        }
        return cases;
    }

    private static List<String> lines(String resource) {
        String[] all = new String(bytes(resource), StandardCharsets.UTF_8).split("\n");
        return Arrays.stream(all).skip(1).filter(line -> !line.isBlank()).toList();
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = ConformanceCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
