package dev.pronto.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.TargetField;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;

/**
 * Pronto's predict against raw jpmml-evaluator on the same model, in one run. "Raw" is what a
 * careful hand-written caller does per record: prepare every input field, evaluate, decode the
 * target and read each class probability. Pronto does the same plus its own work: location
 * parsing, the cache lookup, building the immutable {@link Prediction} with all output fields.
 *
 * <p>{@code pronto*} score the model compiled ({@code pipeline.pmml.compile}, the default);
 * {@code pronto*CompileOff} score it with jpmml inside Pronto, to show what compiling saves.
 *
 * <p>All methods report time per record ({@code batch100*} use {@code @OperationsPerInvocation(100)}),
 * so the Pronto/raw ratio of each pair is the overhead per record.
 *
 * <pre>
 * ./mvnw -q -pl inference-benchmarks -am package -DskipTests
 * java -jar inference-benchmarks/target/benchmarks.jar PredictBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PredictBenchmark {

    /** The seed's 2-record example plus iris rows of each class, cycled through. */
    private static final double[][] IRIS_ROWS = {
        {5.1, 3.5, 1.4, 0.2}, {2.1, 5.5, 6.4, 0.2}, {7.0, 3.2, 4.7, 1.4},
        {6.3, 3.3, 6.0, 2.5}, {4.9, 3.0, 1.4, 0.2}, {5.9, 3.0, 5.1, 1.8},
    };

    private Path modelRoot;
    private InferenceEngine engine;
    private InferenceEngine engineCompileOff;
    private Evaluator evaluator;
    private List<InputField> inputFields;
    private TargetField target;
    private List<Map<String, Object>> records;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        modelRoot = Files.createTempDirectory("pronto-bench");
        byte[] model = readExampleModel();
        Files.write(modelRoot.resolve("iris.pmml"), model);
        engine = InferenceEngine.create(Map.of("storage.nas.root", modelRoot.toString()));
        engineCompileOff = InferenceEngine.create(Map.of("storage.nas.root", modelRoot.toString(),
                "pipeline.pmml.compile", "false"));

        try (InputStream in = Files.newInputStream(modelRoot.resolve("iris.pmml"))) {
            evaluator = new LoadingModelEvaluatorBuilder().load(in).build();
        }
        evaluator.verify();
        inputFields = evaluator.getInputFields();
        target = evaluator.getTargetFields().get(0);

        records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double[] row = IRIS_ROWS[i % IRIS_ROWS.length];
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("sepal_length", row[0] + (i / 6) * 0.01);
            record.put("sepal_width", row[1]);
            record.put("petal_length", row[2]);
            record.put("petal_width", row[3]);
            records.add(record);
        }
        engine.predict("iris.pmml", records.get(0)); // load outside the measurement
        engineCompileOff.predict("iris.pmml", records.get(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        engineCompileOff.close();
        Files.deleteIfExists(modelRoot.resolve("iris.pmml"));
        Files.deleteIfExists(modelRoot);
    }

    Map<String, Object> nextRecord() {
        next = (next + 1) % records.size();
        return records.get(next);
    }

    @Benchmark
    public Object rawJpmmlSingle() {
        return raw(nextRecord());
    }

    @Benchmark
    public Prediction prontoSingle() {
        return engine.predict("iris.pmml", nextRecord());
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public void rawJpmmlBatch100(Blackhole sink) {
        for (Map<String, Object> record : records) {
            sink.consume(raw(record));
        }
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public List<Prediction> prontoBatch100() {
        return engine.predict("iris.pmml", records);
    }

    @Benchmark
    public Prediction prontoSingleCompileOff() {
        return engineCompileOff.predict("iris.pmml", nextRecord());
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public List<Prediction> prontoBatch100CompileOff() {
        return engineCompileOff.predict("iris.pmml", records);
    }

    /** Prepare → evaluate → decode, the way jpmml's documentation shows it. */
    Object[] raw(Map<String, Object> record) {
        Map<String, FieldValue> arguments = new HashMap<>();
        for (InputField field : inputFields) {
            arguments.put(field.getName(), field.prepare(record.get(field.getName())));
        }
        Map<String, ?> results = evaluator.evaluate(arguments);
        Object value = results.get(target.getName());
        List<Object> classes = target.getCategories();
        double[] probabilities = new double[classes.size()];
        for (int i = 0; i < probabilities.length; i++) {
            probabilities[i] = ((HasProbability) value).getProbability(classes.get(i));
        }
        return new Object[] {EvaluatorUtil.decode(value), probabilities};
    }

    static byte[] readExampleModel() {
        try (InputStream in = PredictBenchmark.class.getResourceAsStream("/model.pmml")) {
            if (in == null) {
                throw new IllegalStateException("model.pmml (examples/models/iris) is missing from the benchmark jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
