package dev.pronto.pipeline.sklearn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The plain scikit-learn fixtures in {@code src/test/resources/sklearn}, made by
 * {@code src/test/python/make_fixtures.py}: a pickle, the rows to score and what scikit-learn
 * predicted for them.
 */
final class Fixtures {

    /** Tolerance for comparing with scikit-learn: double precision on both sides, as in the corpus. */
    private static final double TOLERANCE = 1e-9;

    private Fixtures() {
    }

    static byte[] pickle(String name) {
        return bytes("/sklearn/" + name + "/model.pkl");
    }

    /** The names the fixture script recorded for a model fitted on a numpy array, comma-separated. */
    static String names(String name) {
        return new String(bytes("/sklearn/" + name + "/names.txt"), StandardCharsets.UTF_8).trim();
    }

    static List<Map<String, Object>> inputs(String name) {
        return rows("/sklearn/" + name + "/input.csv");
    }

    /** Differences between scikit-learn's outputs and the predictions, at most ten. */
    static List<String> mismatches(String name, List<Prediction> predictions) {
        ConformanceCorpus.Case rule = new ConformanceCorpus.Case(name, "", TOLERANCE, TOLERANCE);
        List<Map<String, Object>> expected = rows("/sklearn/" + name + "/expected.csv");
        List<String> mismatches = new ArrayList<>();
        if (expected.size() != predictions.size()) {
            mismatches.add(expected.size() + " expected rows but " + predictions.size() + " predictions");
            return mismatches;
        }
        for (int row = 0; row < expected.size() && mismatches.size() < 10; row++) {
            for (Map.Entry<String, Object> cell : expected.get(row).entrySet()) {
                String mismatch = rule.mismatch(cell.getKey(), (String) cell.getValue(),
                        predictions.get(row).fields().get(cell.getKey()));
                if (mismatch != null) {
                    mismatches.add("row " + row + ": " + mismatch);
                }
            }
        }
        return mismatches;
    }

    static ModelSource source(String location, byte[] content) {
        try {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            return new ModelSource(ModelLocation.parse(location), content, sha256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> rows(String resource) {
        String[] lines = new String(bytes(resource), StandardCharsets.UTF_8).split("\n");
        String[] header = lines[0].split(",", -1);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
