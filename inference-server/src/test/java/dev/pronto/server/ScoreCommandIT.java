package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * {@code pronto score} end to end: the real jar in a subprocess for the large file in a small heap,
 * thread counts, progress lines and bad rows; every conformance case through the same command in
 * this JVM ({@link Cli#execute}, all of {@code main} but {@code System.exit}), since 48 JVM starts
 * would cost minutes on a CI machine of 2 cores.
 */
class ScoreCommandIT {

    private static final Path JAR = Path.of("target", "pronto-server.jar").toAbsolutePath();
    private static final Path MODELS = Path.of("..", "examples", "models").toAbsolutePath().normalize();
    /** Rows of the large file; {@code -Dpronto.score.rows=2000000} for the full run (about a minute here). */
    private static final int ROWS = Integer.getInteger("pronto.score.rows", 300_000);

    @TempDir
    static Path dir;
    private static Path large;

    @BeforeAll
    static void generate() throws IOException {
        large = dir.resolve("large.csv");
        try (Writer out = Files.newBufferedWriter(large)) {
            out.write("id,sepal_length,sepal_width,petal_length,petal_width\n");
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < ROWS; i++) {
                out.write(i + "," + tenth(4, 8, random) + "," + tenth(2, 4.5, random) + "," + tenth(1, 7, random) + ","
                        + tenth(0.1, 2.5, random) + "\n");
            }
        }
    }

    private static String tenth(double low, double high, java.util.Random random) {
        return Double.toString(Math.round((low + random.nextDouble() * (high - low)) * 10) / 10.0);
    }

    @Test
    void largeFileInSmallHeapGivesTheSameOutputWithOneOrTwoThreads() throws Exception {
        Result one = run("-Xmx64m", "--threads", "1", "--id-column", "id", "--input", large.toString(), "--output", dir.resolve("one.csv").toString());
        Result two = run("-Xmx64m", "--threads", "2", "--id-column", "id", "--input", large.toString(), "--output", dir.resolve("two.csv").toString());

        assertThat(one.status).as(one.lines.toString()).isZero();
        assertThat(two.status).as(two.lines.toString()).isZero();
        assertThat(Files.mismatch(dir.resolve("one.csv"), dir.resolve("two.csv"))).isEqualTo(-1L);
        try (Stream<String> lines = Files.lines(dir.resolve("two.csv"))) {
            List<String> head = lines.limit(2).toList();
            assertThat(head.get(0)).isEqualTo("id,species,probability(0),probability(1),probability(2)");
            assertThat(head.get(1)).startsWith("0,");
        }
        try (Stream<String> lines = Files.lines(dir.resolve("two.csv"))) {
            assertThat(lines.count()).isEqualTo(ROWS + 1L);
        }
        assertThat(two.lines.get(two.lines.size() - 1)).matches("pronto score: " + ROWS + " records in [0-9.]+ s \\(\\d+ records/s\\)");
    }

    @Test
    void progressIsPlainLinesWhenNotOnATerminal() throws Exception {
        Result result = run("-Xmx64m", "--threads", "1", "--progress-seconds", "1", "--chunk-size", "100",
                "--input", large.toString(), "--output", dir.resolve("progress.csv").toString());

        assertThat(result.status).isZero();
        // the machine's speed decides how many; one at least when the run takes over a second
        assertThat(result.lines).allMatch(line -> line.matches("pronto score: \\d+ records, \\d+ records/s, \\d+%, ETA \\d+:\\d\\d")
                || line.matches("pronto score: \\d+ records in .*"));
        assertThat(result.lines).noneMatch(line -> line.contains("\r"));
    }

    @Test
    void badRowStopsWithItsLineOrIsSkippedAndCounted() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n5.1,abc,1.4,0.2\n6,3,5,2\n");

        Result fail = run("-Xmx64m", "--input", bad.toString(), "--output", dir.resolve("bad-out.csv").toString());
        Result skip = run("-Xmx64m", "--on-error", "skip", "--input", bad.toString(), "--output", "-");

        assertThat(fail.status).isEqualTo(1);
        assertThat(fail.lines).containsExactly("pronto score: line 3, column \"sepal_width\": expected a number, got \"abc\" "
                + "(--on-error skip skips such rows)");
        assertThat(skip.status).isZero();
        assertThat(skip.lines).hasSize(5);
        assertThat(skip.lines.get(0)).isEqualTo("species,probability(0),probability(1),probability(2)");
        assertThat(skip.lines.get(3)).matches("pronto score: 2 records in .*, 1 bad rows skipped");
        assertThat(skip.lines.get(4)).isEqualTo("pronto score: skipped line 3, column \"sepal_width\": expected a number, got \"abc\"");
    }

    @Test
    void quotedLineBreaksAndBadRowsKeepTheirLinesWithTwoThreads() throws Exception {
        StringBuilder csv = new StringBuilder("id,sepal_length,sepal_width,petal_length,petal_width\n")
                .append("\"a\nb\",5.1,3.5,1.4,0.2\n")      // lines 2-3
                .append("c,5.1,abc,1.4,0.2\n")              // line 4: not a number
                .append("\"d \"\"x\"\"\r\ny\",6,3,5,2\r\n") // lines 5-6
                .append("e,6,3\n");                         // line 7: two cells short
        for (int line = 8; line < 60; line++) {
            csv.append(line == 40 ? "\"q\nr\",7,zz,1,1\n" : line + ",6.3,3.3,6.0,2.5\n"); // lines 40-41: not a number
            line += line == 40 ? 1 : 0;
        }
        Path input = dir.resolve("quoted.csv");
        Files.writeString(input, csv);
        Path one = dir.resolve("quoted-1.csv");
        Path two = dir.resolve("quoted-2.csv");

        Result skipOne = run("-Xmx64m", "--threads", "1", "--chunk-size", "3", "--progress-seconds", "0", "--on-error", "skip", "--id-column", "id",
                "--input", input.toString(), "--output", one.toString());
        Result skipTwo = run("-Xmx64m", "--threads", "2", "--chunk-size", "3", "--progress-seconds", "0", "--on-error", "skip", "--id-column", "id",
                "--input", input.toString(), "--output", two.toString());
        Path late = dir.resolve("quoted-late.csv");
        Files.writeString(late, csv.toString().replace("abc", "3.0").replace("e,6,3\n", "e,6,3,5,2\n"));
        Result fail = run("-Xmx64m", "--threads", "2", "--chunk-size", "3", "--input", late.toString(),
                "--output", dir.resolve("quoted-fail.csv").toString());

        assertThat(Files.mismatch(one, two)).isEqualTo(-1L);
        assertThat(skipTwo.status).isZero();
        assertThat(skipTwo.lines).hasSize(4);
        assertThat(skipTwo.lines.get(0)).matches("pronto score: 52 records in .*, 3 bad rows skipped");
        assertThat(skipTwo.lines.subList(1, 4)).containsExactly(
                "pronto score: skipped line 4, column \"sepal_width\": expected a number, got \"abc\"",
                "pronto score: skipped line 7: 3 cells, but the header names 5 columns",
                "pronto score: skipped line 40, column \"sepal_width\": expected a number, got \"zz\"");
        assertThat(skipOne.lines.subList(1, 4)).isEqualTo(skipTwo.lines.subList(1, 4));
        List<String> rows = Files.readAllLines(two);
        assertThat(rows.get(1)).startsWith("\"a");
        assertThat(rows.get(2)).startsWith("b\",");
        assertThat(rows.get(3)).isEqualTo("\"d \"\"x\"\"");
        assertThat(rows.get(4)).startsWith("y\",");
        assertThat(rows.get(5)).startsWith("8,");
        assertThat(rows).hasSize(1 + 52 + 2);
        assertThat(fail.status).isEqualTo(1);
        assertThat(fail.lines).containsExactly("pronto score: line 40, column \"sepal_width\": expected a number, got \"zz\" "
                + "(--on-error skip skips such rows)");
    }

    @Test
    void usageMistakesExitWithTwo() throws Exception {
        Result missing = run("-Xmx64m", "--input", large.toString());
        Result noFile = run("-Xmx64m", "--input", dir.resolve("nope.csv").toString(), "--output", "-");

        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.lines.get(0)).startsWith("pronto score: Missing required option: '--output=FILE|-'");
        assertThat(noFile.status).isEqualTo(2);
        assertThat(noFile.lines).containsExactly("pronto score: no such file: " + dir.resolve("nope.csv"));
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceCaseThroughScore() throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        List<DynamicTest> tests = new ArrayList<>();
        for (ConformanceCorpus.Case c : ConformanceCorpus.cases()) {
            TestServer.write(c.model(), corpus, c.name() + "/model.pmml");
            Path input = corpus.resolve(c.name() + "/input.csv");
            Files.writeString(input, ConformanceOverCsvTest.inputCsv(c));
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Path output = corpus.resolve(c.name() + "/output.csv");
                int status = Cli.execute(List.of("score", "--model-root", corpus.toString(), "--model", c.name() + "/model.pmml",
                        "--all-fields", "--progress-seconds", "0", "--input", input.toString(), "--output", output.toString()));
                assertThat(status).isZero();
                List<String> mismatches = ConformanceOverCsvTest.compare(c,
                        ConformanceOverCsvTest.rows(RecordFormat.CSV, Files.readString(output)), true);
                assertThat(mismatches).as(c.name()).isEmpty();
            }));
        }
        return tests.stream();
    }

    @Test
    void inspectPrintsTheSchemaAndConvertWritesThePickelsPmml() throws Exception {
        Result inspect = launch(List.of("inspect", "--model-root", MODELS.toString(), "iris/model.pmml"));
        Result convert = launch(List.of("convert", MODELS.resolve("iris/iris.pickle").toString(), "-o",
                dir.resolve("iris.pmml").toString()));
        Result notConverted = launch(List.of("convert", MODELS.resolve("iris/model.pmml").toString(), "-o",
                dir.resolve("same.pmml").toString()));

        assertThat(inspect.status).isZero();
        String json = String.join("\n", inspect.lines);
        assertThat(ServerApp.MAPPER.readTree(json).at("/schema/inputs/0/name").asText()).isEqualTo("sepal_length");
        assertThat(ServerApp.MAPPER.readTree(json).at("/schema/targets/0/classes")).hasSize(3);
        assertThat(convert.status).as(convert.lines.toString()).isZero();
        assertThat(Files.readString(dir.resolve("iris.pmml"))).contains("<PMML");
        assertThat(notConverted.status).isEqualTo(1);
        assertThat(notConverted.lines).containsExactly("pronto convert: " + MODELS.resolve("iris/model.pmml")
                + " is not converted: the stored file is the document it evaluates");
    }

    private Result run(String heap, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(heap, "score", "--model-root", MODELS.toString(), "--model",
                "iris/model.pmml"));
        command.addAll(List.of(args));
        return launch(command);
    }

    /** Runs the jar; a first argument starting with -X is a JVM option. */
    private Result launch(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        List<String> rest = new ArrayList<>(args);
        if (rest.get(0).startsWith("-X")) {
            command.add(rest.remove(0));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(rest);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output.lines().toList());
    }

    private record Result(int status, List<String> lines) {
    }
}
