package dev.pronto.pipeline.sklearn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.testing.InMemoryStorageProvider;

/**
 * Pickles that cannot be served: each is an {@code INVALID_MODEL} failure (the server's 422) whose
 * message names what could not be converted, never a stack trace; and pickles that try to run code
 * run nothing.
 */
class PickleErrorsTest {

    private final InMemoryStorageProvider storage = new InMemoryStorageProvider();
    private InferenceEngine engine;

    @BeforeEach
    void startEngine() {
        engine = InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(storage)
                .pipelineProvider(new SkLearnPipelineProvider())
                .build();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "error-not-sklearn | the pickle holds a dict, not a scikit-learn estimator or pipeline",
        "error-unsupported-estimator | sklearn.semi_supervised._label_propagation.LabelPropagation",
        "error-unsupported-transformer | sklearn.kernel_approximation.Nystroem",
        "error-custom-transformer | __main__.FixtureScaler",
        "error-future-version | the pickle was written by scikit-learn 1.7.1, which this converter (pmml-sklearn 1.9.0) does not know",
    })
    void refusesWhatTheConverterCannotConvertNamingTheClass(String fixture, String named) {
        storage.put(fixture + ".pkl", Fixtures.pickle(fixture));

        assertInvalidModel(fixture + ".pkl")
                .hasMessageStartingWith("model \"file:" + fixture + ".pkl\" cannot be loaded as a scikit-learn pickle: ")
                .hasMessageContaining(named);
    }

    @Test
    void refusesBytesThatAreNoPickle() {
        storage.put("text.pkl", "species,petal_length\nsetosa,1.4\n".getBytes(StandardCharsets.UTF_8));
        storage.put("empty.pkl", new byte[0]);
        // a pickle cut off in the middle, as an interrupted upload leaves it
        byte[] whole = Fixtures.pickle("bare-logistic-iris");
        storage.put("truncated.pkl", java.util.Arrays.copyOf(whole, whole.length / 2));

        assertInvalidModel("text.pkl").hasMessageContaining("cannot be loaded as a scikit-learn pickle");
        assertInvalidModel("empty.pkl").hasMessageContaining("cannot be loaded as a scikit-learn pickle");
        assertInvalidModel("truncated.pkl").hasMessageContaining("cannot be loaded as a scikit-learn pickle");
    }

    @Test
    void refusesAPickleThatUnpacksBeyondTheLimit() throws Exception {
        // a pickle of one 4 MiB bytes object (PROTO 3, BINBYTES, STOP) gzips to a few kilobytes: a small
        // file must not make the server inflate gigabytes
        int size = 4 << 20;
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(packed)) {
            gzip.write(new byte[] {(byte) 0x80, 3, 'B', 0, 0, 0x40, 0});
            gzip.write(new byte[size]);
            gzip.write('.');
        }
        assertThat(packed.size()).isLessThan(64 * 1024);
        storage.put("bomb.pkl", packed.toByteArray());
        engine.close();
        engine = InferenceEngine.builder()
                .discoverProviders(false)
                .storageProvider(storage)
                .pipelineProvider(new SkLearnPipelineProvider())
                .config(java.util.Map.of("pipeline.sklearn.max-uncompressed-bytes", "1048576"))
                .build();

        assertInvalidModel("bomb.pkl")
                .hasMessageContaining("it unpacks to more than 1048576 bytes, the limit set by pipeline.sklearn.max-uncompressed-bytes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bz2, 42 5a 68 39 31", "xz, fd 37 7a 58 5a 00", "lz4, 04 22 4d 18 64"})
    void namesJoblibCodecsItCannotRead(String codec, String magic) {
        String[] hex = magic.split(" ");
        byte[] header = new byte[hex.length + 10];
        for (int i = 0; i < hex.length; i++) {
            header[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        storage.put(codec + ".pkl", header);

        assertInvalidModel(codec + ".pkl").hasMessageContaining("it is compressed with " + codec + ", which the converter cannot read");
    }

    @Test
    void runsNothingThatAPickleAsksToRun(@TempDir Path folder) throws Exception {
        // what Python's pickle.dumps writes for an object whose __reduce__ returns
        // (os.system, ("touch <marker>",)): on Linux os.system pickles as posix.system
        Path systemMarker = folder.resolve("system-ran");
        storage.put("system.pkl", reduce("posix", "system", "touch " + systemMarker));
        Path evalMarker = folder.resolve("eval-ran");
        storage.put("eval.pkl", reduce("builtins", "eval",
                "__import__('pathlib').Path('" + evalMarker + "').touch()"));
        Path execMarker = folder.resolve("exec-ran");
        storage.put("exec.pkl", reduce("builtins", "exec", "open('" + execMarker + "', 'w').close()"));

        // protocol 0, the classic exploit: getattr(__import__("os"), "system")("touch <marker>")
        Path importMarker = folder.resolve("import-ran");
        storage.put("import.pkl", ("c__builtin__\ngetattr\n(c__builtin__\n__import__\n(S'os'\ntRS'system'\ntR(S'touch "
                + importMarker + "'\ntR.").getBytes(StandardCharsets.US_ASCII));

        assertInvalidModel("import.pkl").hasMessageContaining("__import__");
        assertInvalidModel("system.pkl").hasMessageContaining("\"posix.system\"").hasMessageContaining("nothing in the pickle was run");
        assertInvalidModel("eval.pkl").hasMessageContaining("\"builtins.eval\"");
        assertInvalidModel("exec.pkl").hasMessageContaining("\"builtins.exec\"");

        assertThat(systemMarker).doesNotExist();
        assertThat(evalMarker).doesNotExist();
        assertThat(execMarker).doesNotExist();
        assertThat(importMarker).doesNotExist();
        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertInvalidModel(String location) {
        return assertThatThrownBy(() -> engine.model(location))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_MODEL);
                    assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("\n");
                });
    }

    /**
     * A protocol-2 pickle that calls {@code module.name(argument)} when Python loads it:
     * PROTO 2, GLOBAL, BINUNICODE, TUPLE1, REDUCE, STOP, byte for byte as CPython writes it.
     */
    private static byte[] reduce(String module, String name, String argument) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] text = argument.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.write(text.length & 0xff);
        out.write((text.length >> 8) & 0xff);
        out.write((text.length >> 16) & 0xff);
        out.write((text.length >> 24) & 0xff);
        out.writeBytes(text);
        out.write(0x85);
        out.write('R');
        out.write('.');
        return out.toByteArray();
    }

    @Test
    void reducePicklesAreWhatPythonWrites() {
        // pickle.dumps(Evil(), protocol=2) in CPython 3.11 for __reduce__ = (os.system, ("id",))
        byte[] python = {(byte) 0x80, 2, 'c', 'p', 'o', 's', 'i', 'x', '\n', 's', 'y', 's', 't', 'e', 'm', '\n',
            'q', 0, 'X', 2, 0, 0, 0, 'i', 'd', 'q', 1, (byte) 0x85, 'q', 2, 'R', 'q', 3, '.'};
        storage.put("python.pkl", python);

        assertInvalidModel("python.pkl").hasMessageContaining("\"posix.system\"");
    }
}
