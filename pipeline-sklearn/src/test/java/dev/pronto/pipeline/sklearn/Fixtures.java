package dev.pronto.pipeline.sklearn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The plain scikit-learn fixtures in {@code src/test/resources/sklearn}, made by
 * {@code src/test/python/make_fixtures.py} and laid out like the conformance corpus: a pickle, the
 * rows to score and what scikit-learn predicted for them.
 */
final class Fixtures {

    /** Tolerance for comparing with scikit-learn: double precision on both sides, as in the corpus. */
    private static final double TOLERANCE = 1e-9;

    private Fixtures() {
    }

    static ConformanceCorpus.Case fixture(String name) {
        return new ConformanceCorpus.Case(name, "", TOLERANCE, TOLERANCE, "/sklearn/" + name + "/");
    }

    static byte[] pickle(String name) {
        return fixture(name).pickle();
    }

    /** The names the fixture script recorded for a model fitted on a numpy array, comma-separated. */
    static String names(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sklearn/" + name + "/names.txt")) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " has no names.txt");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelSource source(String location, byte[] content) {
        try {
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            return new ModelSource(ModelLocation.parse(location), content, sha256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
