package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.pronto.inference.pmml.CompiledPaths.assertSameOnRandomRecords;
import static dev.pronto.inference.pmml.CompiledPaths.evaluatorOf;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.outcome;
import static dev.pronto.inference.pmml.CompiledPaths.typed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.Prediction;
import dev.pronto.inference.pmml.compiled.Compilation;
import dev.pronto.inference.pmml.compiled.ModelCompiler;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The compiled RegressionModel scorer gives exactly jpmml's predictions (values and their types,
 * doubles bit for bit, orders), leaves the records it is not sure about to jpmml, and is used only
 * for the models it mirrors.
 */
class CompiledRegressionTest {

    /** The corpus models the compiled scorer takes; every other case stays on jpmml (see eligibility test). */
    private static final Set<String> ELIGIBLE = Set.of("sklearn-MultinomialLogisticRegressionIris", "r-LMFormulaAuto");

    @Test
    void compilesExactlyTheEligibleCorpusModels() {
        for (ConformanceCorpus.Case c : ConformanceCorpus.cases()) {
            PmmlPipeline pipeline = load(c.model(), true);
            boolean regression = pipeline.isCompiled() && pipeline.compiled().modelType().equals("RegressionModel");
            assertThat(regression).as(c.name()).isEqualTo(ELIGIBLE.contains(c.name()));
        }
    }

    @Test
    void explainsWhyLinearCorpusModelsAreNotCompiled() {
        // integer DerivedFields, outlier treatment and string DerivedFields are not mirrored
        assertThat(reason("sklearn-LinearRegressionAuto")).contains("derived field \"odd(cylinders)\" is not a continuous double");
        assertThat(reason("sklearn-RidgeAuto")).contains("derived field \"odd(cylinders)\" is not a continuous double");
        assertThat(reason("sklearn-LogisticRegressionAuditNA")).contains("\"Income\" treats outliers");
        assertThat(reason("sklearn-SVCIris")).contains("SupportVectorMachineModel, not a RegressionModel, TreeModel or MiningModel");
    }

    @TestFactory
    Stream<DynamicTest> compiledCorpusModelsMatchJpmmlAndTheTrainingLibraryOnCorpusRows() {
        return corpus().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            PmmlPipeline compiled = load(c.model(), true);
            PmmlPipeline jpmml = load(c.model(), false);
            List<Prediction> predictions = new ArrayList<>();
            for (Map<String, Object> row : c.inputs()) {
                Map<String, Object> record = typed(row, compiled);
                Prediction fast = compiled.compiled().predict(record);
                assertThat(fast).as("compiled path takes %s", record).isNotNull();
                assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
                assertThat(exact(compiled.predict(record))).isEqualTo(exact(fast));
                predictions.add(fast);
            }
            assertThat(c.mismatches(predictions, 10)).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> compiledCorpusModelsMatchJpmmlOnRandomRecords() {
        return corpus().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertSameOnRandomRecords(c.model(), 11)));
    }

    @Test
    void bundledIrisExampleIsCompiledAndMatchesJpmml() throws IOException {
        byte[] model = Files.readAllBytes(Path.of("../examples/models/iris/model.pmml"));
        PmmlPipeline pipeline = load(model, true);
        assertThat(pipeline.isCompiled()).isTrue();
        assertThat(pipeline.scoringNote()).startsWith("scored compiled (RegressionModel; same predictions as jpmml on ");
        assertSameOnRandomRecords(model, 5);
    }

    @Test
    void compileFalseScoresEveryRecordWithJpmml() throws IOException {
        byte[] model = Files.readAllBytes(Path.of("../examples/models/iris/model.pmml"));
        assertThat(load(model, false).isCompiled()).isFalse();
        assertThat(load(model, false).compiled()).isNull();
        assertThat(load(model, false).scoringNote()).isEqualTo("scored by jpmml (compilation off)");
    }

    @Test
    void rejectsACompileValueThatIsNotABoolean() {
        assertThatThrownBy(() -> new PmmlPipelineProvider().create(Map.of("compile", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipeline.pmml.compile");
    }

    @Test
    void treeModelWithIntegerInputsIsScoredByTheTreeCompilerAndReportsJpmmlsLeaf() {
        ConformanceCorpus.Case tree = ConformanceCorpus.cases().stream()
                .filter(c -> c.name().equals("sklearn-DecisionTreeAudit")).findFirst().orElseThrow();
        PmmlPipeline pipeline = load(tree.model(), true);
        assertThat(pipeline.compiled().modelType()).isEqualTo("TreeModel");
        Map<String, Object> record = typed(tree.inputs().get(0), pipeline);
        assertThat(pipeline.predict(record).entityIds()).isNotEmpty()
                .isEqualTo(load(tree.model(), false).predict(record).entityIds());
    }

    @Test
    void recordsTheCompiledCodeIsNotSureAboutGiveJpmmlsResultOrError() throws IOException {
        byte[] model = Files.readAllBytes(Path.of("../examples/models/iris/model.pmml"));
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> base = Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2);
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(without(base, "petal_width"));
        records.add(with(base, "petal_width", null));
        records.add(with(base, "petal_width", "abc"));
        records.add(with(base, "petal_width", "0.2"));
        records.add(with(base, "petal_width", Double.NaN));
        records.add(with(base, "petal_width", Double.POSITIVE_INFINITY));
        records.add(with(base, "petal_width", new java.math.BigDecimal("0.2")));
        records.add(with(base, "petal_width", true));
        for (Map<String, Object> record : records) {
            assertThat(compiled.compiled().predict(record)).as("compiled path leaves %s to jpmml", record).isNull();
            assertThat(outcome(compiled, record)).as("%s", record).isEqualTo(outcome(jpmml, record));
        }
        // whole numbers as Integer and Long stay compiled, and give what jpmml gives
        Map<String, Object> integers = Map.of("sepal_length", 5, "sepal_width", 3L, "petal_length", 1, "petal_width", 0);
        assertThat(compiled.compiled().predict(integers)).isNotNull();
        assertThat(outcome(compiled, integers)).isEqualTo(outcome(jpmml, integers));
    }

    @Test
    void valueOutsideAnIntervalGivesJpmmlsError() {
        ConformanceCorpus.Case iris = corpus().filter(c -> c.name().contains("Iris")).findFirst().orElseThrow();
        PmmlPipeline compiled = load(iris.model(), true);
        PmmlPipeline jpmml = load(iris.model(), false);
        Map<String, Object> record = typed(iris.inputs().get(0), compiled);
        record.put("Sepal.Length", 100.0);
        assertThat(compiled.compiled().predict(record)).isNull();
        assertThat((String) outcome(compiled, record)).startsWith("error").isEqualTo(outcome(jpmml, record));
    }

    @TestFactory
    Stream<DynamicTest> everyMirroredNormalizationMatchesJpmml() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String method : List.of("none", "logit", "exp", "softmax", "cloglog", "loglog", "cauchit")) {
            tests.add(DynamicTest.dynamicTest("regression " + method,
                    () -> assertSameOnRandomRecords(synthetic("regression", method, 1, "double", true, false), 3)));
        }
        for (String method : List.of("none", "logit", "softmax", "simplemax", "cloglog", "loglog", "cauchit")) {
            tests.add(DynamicTest.dynamicTest("binary " + method,
                    () -> assertSameOnRandomRecords(synthetic("classification", method, 2, "string", true, false), 3)));
        }
        tests.add(DynamicTest.dynamicTest("binary softmax with an empty second table",
                () -> assertSameOnRandomRecords(synthetic("classification", "softmax", 2, "integer", true, true), 3)));
        for (String method : List.of("none", "logit", "softmax", "simplemax")) {
            tests.add(DynamicTest.dynamicTest("three classes " + method,
                    () -> assertSameOnRandomRecords(synthetic("classification", method, 3, "integer", true, false), 3)));
        }
        tests.add(DynamicTest.dynamicTest("three classes without probability outputs",
                () -> assertSameOnRandomRecords(synthetic("classification", "softmax", 3, "string", false, false), 3)));
        return tests.stream();
    }

    @Test
    void unsupportedNormalizationStaysOnJpmml() {
        PmmlPipeline pipeline = load(synthetic("classification", "probit", 2, "string", true, false), true);
        assertThat(pipeline.isCompiled()).isFalse();
    }

    @Test
    void equalProbabilitiesPickTheFirstTableLikeJpmml() {
        // the second and third tables are the same, and beat the first: jpmml's winner is the second
        String tables = table("a", "0.0", "0") + table("b", "1.5", "2") + table("c", "1.5", "2");
        byte[] model = pmml("classification", "softmax", "string", List.of("a", "b", "c"), tables, true);
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> record = Map.of("x1", 1.0, "x2", 2.0);
        assertThat(compiled.compiled().predict(record)).isNotNull();
        assertThat(compiled.predict(record).value()).isEqualTo("b");
        assertThat(exact(compiled.predict(record))).isEqualTo(exact(jpmml.predict(record)));
    }

    @Test
    void loadTimeCheckCatchesAScorerThatDiffersFromJpmml() {
        byte[] model = synthetic("classification", "softmax", 3, "integer", true, false);
        byte[] altered = new String(model, StandardCharsets.UTF_8).replace("coefficient=\"0.5\"", "coefficient=\"0.50001\"")
                .getBytes(StandardCharsets.UTF_8);
        PmmlPipeline reference = load(model, false);
        PmmlPipeline other = load(altered, true);
        assertThat(other.isCompiled()).isTrue();
        Compilation compilation = ModelCompiler.compile(evaluatorOf(other), other.resultNames(), reference::predictWithJpmml, 50, 1);
        assertThat(compilation.scorer()).isEmpty();
        assertThat(compilation.note()).startsWith("scored by jpmml (its compiled scorer differs from jpmml for ")
                .contains("instead of");
    }

    @Test
    void loadTimeCheckAlsoScoresTheModelsVerificationRows() {
        ConformanceCorpus.Case iris = corpus().filter(c -> c.name().contains("Iris")).findFirst().orElseThrow();
        PmmlPipeline pipeline = load(iris.model(), true);
        Compilation compilation = ModelCompiler.compile(evaluatorOf(pipeline), pipeline.resultNames(), pipeline::predictWithJpmml, 0, 1);
        assertThat(compilation.scorer()).isPresent();
        // the model's ModelVerification table has 15 rows, all inside the fields' intervals
        assertThat(compilation.compared()).isEqualTo(15);
        assertThat(compilation.note()).isEqualTo("scored compiled (RegressionModel; same predictions as jpmml on 15 check records)");
        assertThat(compilation.scorer().get().predict(compilation.warmUpRecord())).isNotNull();
    }

    // ---------------------------------------------------------------------------------------------

    private static Stream<ConformanceCorpus.Case> corpus() {
        return ConformanceCorpus.cases().stream().filter(c -> ELIGIBLE.contains(c.name()));
    }

    private static String reason(String name) {
        ConformanceCorpus.Case c = ConformanceCorpus.cases().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        PmmlPipeline pipeline = load(c.model(), false);
        Compilation compilation = ModelCompiler.compile(evaluatorOf(pipeline), pipeline.resultNames(), pipeline::predictWithJpmml, 10, 1);
        assertThat(compilation.scorer()).isEmpty();
        return compilation.note();
    }

    private static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
        Map<String, Object> record = new HashMap<>(base);
        record.put(name, value);
        return record;
    }

    private static Map<String, Object> without(Map<String, Object> base, String name) {
        Map<String, Object> record = new HashMap<>(base);
        record.remove(name);
        return record;
    }

    /**
     * A RegressionModel on inputs x1 (in [-5, 5]) and x2 (anywhere), with a squared predictor, a
     * DerivedField and a zero intercept among its tables.
     */
    private static byte[] synthetic(String function, String method, int classes, String labelType, boolean outputs,
            boolean emptySecondTable) {
        List<String> labels = new ArrayList<>();
        StringBuilder tables = new StringBuilder();
        for (int c = 0; c < Math.max(classes, 1); c++) {
            String label = labelType.equals("string") ? "class" + c : String.valueOf(c);
            labels.add(label);
            boolean empty = emptySecondTable && c == 1;
            String intercept = empty || c == 2 ? "0" : String.valueOf(0.3 - c * 0.7);
            String predictors = empty ? "" : "<NumericPredictor name=\"x1\" coefficient=\"" + (0.5 - c * 0.25) + "\"/>"
                    + "<NumericPredictor name=\"x2\" exponent=\"2\" coefficient=\"" + (0.01 * (c + 1)) + "\"/>"
                    + "<NumericPredictor name=\"scaled\" coefficient=\"" + (c % 2 == 0 ? "0.5" : "-1.25") + "\"/>";
            String category = function.equals("classification") ? " targetCategory=\"" + label + "\"" : "";
            tables.append("<RegressionTable intercept=\"").append(intercept).append('"').append(category).append('>')
                    .append(predictors).append("</RegressionTable>");
        }
        return pmml(function, method, labelType, function.equals("classification") ? labels : List.of(), tables.toString(), outputs);
    }

    private static String table(String label, String intercept, String x1) {
        return "<RegressionTable intercept=\"" + intercept + "\" targetCategory=\"" + label + "\">"
                + "<NumericPredictor name=\"x1\" coefficient=\"" + x1 + "\"/><NumericPredictor name=\"scaled\" coefficient=\"1\"/>"
                + "</RegressionTable>";
    }

    private static byte[] pmml(String function, String method, String labelType, List<String> labels, String tables,
            boolean outputs) {
        boolean classification = function.equals("classification");
        StringBuilder target = new StringBuilder(classification
                ? "<DataField name=\"y\" optype=\"categorical\" dataType=\"" + labelType + "\">"
                : "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\">");
        labels.forEach(label -> target.append("<Value value=\"").append(label).append("\"/>"));
        target.append("</DataField>");
        StringBuilder output = new StringBuilder();
        if (outputs) {
            output.append("<Output>");
            labels.forEach(label -> output.append("<OutputField name=\"probability(").append(label)
                    .append(")\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"").append(label).append("\"/>"));
            if (classification) {
                output.append("<OutputField name=\"probability(unknown)\" optype=\"continuous\" dataType=\"double\""
                        + " feature=\"probability\" value=\"").append(labelType.equals("integer") ? "99" : "unknown").append("\"/>");
            }
            output.append("<OutputField name=\"label\" feature=\"predictedValue\"/>").append("</Output>");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/>"
                + "<DataDictionary>" + target
                + "<DataField name=\"x1\" optype=\"continuous\" dataType=\"double\"><Interval closure=\"closedOpen\" leftMargin=\"-5\" rightMargin=\"5\"/></DataField>"
                + "<DataField name=\"x2\" optype=\"continuous\" dataType=\"double\"/>"
                + "</DataDictionary>"
                + "<RegressionModel functionName=\"" + function + "\" normalizationMethod=\"" + method + "\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/>"
                + "<MiningField name=\"x2\" missingValueTreatment=\"asMean\" missingValueReplacement=\"1.5\"/></MiningSchema>"
                + output
                + "<LocalTransformations><DerivedField name=\"scaled\" optype=\"continuous\" dataType=\"double\">"
                + "<Apply function=\"/\"><Apply function=\"-\"><FieldRef field=\"x2\"/><Constant dataType=\"double\">0.25</Constant></Apply>"
                + "<Apply function=\"avg\"><FieldRef field=\"x1\"/><Constant dataType=\"integer\">3</Constant><Constant>7.5</Constant></Apply>"
                + "</Apply></DerivedField></LocalTransformations>"
                + tables
                + "</RegressionModel></PMML>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }
}
