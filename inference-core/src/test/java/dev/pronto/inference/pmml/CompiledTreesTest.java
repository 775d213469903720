package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.assertSameOnRandomRecords;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.outcome;
import static dev.pronto.inference.pmml.CompiledPaths.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Compiled trees and tree ensembles give exactly jpmml's predictions (values and their types,
 * probabilities bit for bit, leaf ids), leave the records they are not sure about to jpmml, and the
 * load-time check turns compilation off when the compiled arithmetic differs.
 */
class CompiledTreesTest {

    /** The corpus's tree models, all of which the compiled scorer takes (the last, stacking, in the fifth round). */
    private static final Set<String> ELIGIBLE = Set.of("sklearn-DecisionTreeIris", "sklearn-RandomForestIris",
            "sklearn-RandomForestAuditNA", "sklearn-OneHotEncoderAuditNA", "sklearn-GradientBoostingIris",
            "sklearn-HistGradientBoostingAuditNA", "sklearn-HistGradientBoostingAutoNA", "lightgbm-ClassificationIrisNA",
            "lightgbm-ClassificationAudit", "lightgbm-RegressionAutoNA", "r-RandomForestFormulaIris", "r-GBMFormulaAutoNA",
            "xgboost-BinomialClassificationAudit", "xgboost-MultinomialClassificationIris", "xgboost-LinearRegressionAuto",
            "xgboost-PoissonRegressionVisit",
            "sklearn-DecisionTreeAudit", "sklearn-DecisionTreeAuto", "sklearn-RandomForestAuto", "sklearn-ExtraTreesAuto",
            "sklearn-GradientBoostingAuto", "sklearn-AdaBoostHousing", "lightgbm-LinearTreeRegressionAuto",
            "sklearn-StackingEnsembleAudit");

    @Test
    void compilesTheCorpusTreeModelsItMirrors() {
        List<String> mismatches = new ArrayList<>();
        for (ConformanceCorpus.Case c : ConformanceCorpus.cases()) {
            PmmlPipeline pipeline = load(c.model(), true);
            boolean tree = pipeline.isCompiled() && !pipeline.compiled().modelType().equals("RegressionModel");
            if (tree != ELIGIBLE.contains(c.name())) {
                mismatches.add(c.name() + ": " + pipeline.scoringNote());
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(load(corpusCase("sklearn-RandomForestIris").model(), true).scoringNote())
                .startsWith("scored compiled (MiningModel of 10 trees; same predictions as jpmml on ");
    }

    @TestFactory
    Stream<DynamicTest> compiledTreesMatchJpmmlAndTheTrainingLibraryOnCorpusRows() {
        return corpus().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            PmmlPipeline compiled = load(c.model(), true);
            PmmlPipeline jpmml = load(c.model(), false);
            List<Prediction> predictions = new ArrayList<>();
            int taken = 0;
            int complete = 0;
            for (Map<String, Object> row : c.inputs()) {
                Map<String, Object> record = typed(row, compiled);
                if (!record.containsValue(null)) {
                    complete++;
                }
                Prediction fast = compiled.compiled().predict(record);
                if (fast != null) {
                    taken++;
                    assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
                }
                // rows with missing values are declined by the compiled path and scored by jpmml
                Prediction prediction = compiled.predict(record);
                assertThat(exact(prediction)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
                predictions.add(prediction);
            }
            // missing values are left to jpmml: the compiled path takes (nearly) every row without one
            assertThat(taken).as("rows scored compiled, of %d without missing values", complete)
                    .isPositive().isGreaterThanOrEqualTo(complete * 9 / 10);
            assertThat(c.mismatches(predictions, 10)).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> compiledTreesMatchJpmmlOnRandomRecordsWithMissingAndInvalidValues() {
        return corpus().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> assertSameOnRandomRecords(c.model(), 19, 0.02)));
    }

    @TestFactory
    Stream<DynamicTest> syntheticForestsMatchJpmml() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("classification average",
                () -> assertSameOnRandomRecords(forest("classification", "average", true), 3, 0.05)));
        tests.add(DynamicTest.dynamicTest("classification average without outputs",
                () -> assertSameOnRandomRecords(forest("classification", "average", false), 4, 0.0)));
        tests.add(DynamicTest.dynamicTest("regression average",
                () -> assertSameOnRandomRecords(forest("regression", "average", true), 5, 0.05)));
        tests.add(DynamicTest.dynamicTest("regression sum",
                () -> assertSameOnRandomRecords(forest("regression", "sum", true), 6, 0.0)));
        tests.add(DynamicTest.dynamicTest("one classification tree",
                () -> assertSameOnRandomRecords(tree("classification"), 7, 0.05)));
        for (String strategy : List.of("lastPrediction", "nullPrediction", "none")) {
            tests.add(DynamicTest.dynamicTest("one tree, missing values: " + strategy, () -> assertSameOnRandomRecords(
                    withMissingValueStrategy(tree("classification"), strategy), 12, 0.1)));
        }
        tests.add(DynamicTest.dynamicTest("one regression tree",
                () -> assertSameOnRandomRecords(tree("regression"), 8, 0.0)));
        return tests.stream();
    }

    @Test
    void equalAverageProbabilitiesPickTheFirstClassLikeJpmml() {
        // tree 1 ends in its catch-all leaf (1/3 each), tree 2 in (1/2, 1/2, 0): A and B tie at 5/12
        byte[] model = forest("classification", "average", true);
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> record = Map.of("x1", 4.0, "x2", -3.0, "c", "a");
        Prediction fast = compiled.compiled().predict(record);
        assertThat(fast).isNotNull();
        assertThat(fast.value()).isEqualTo("A");
        assertThat(fast.probabilities().get("A")).isEqualTo(fast.probabilities().get("B"));
        assertThat(exact(fast)).isEqualTo(exact(jpmml.predict(record)));
    }

    @Test
    void noTrueChildReturnsTheLastPredictionWithItsLeafId() {
        // c = "b" and float(x2) <= 0.1: no child of node "n2" is true; the tree keeps n2's own score
        byte[] model = tree("classification");
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> record = Map.of("x1", 2.0, "x2", 0.1, "c", "b");
        Prediction fast = compiled.compiled().predict(record);
        assertThat(fast).isNotNull();
        assertThat(fast.entityIds()).containsExactly("n2");
        assertThat(exact(fast)).isEqualTo(exact(jpmml.predict(record)));
    }

    @Test
    void aFloatFieldIsComparedWithItsThresholdAsFloats() {
        // 0.1 as a double is above 0.1f's double value; as floats they are equal, so "greaterThan 0.1" is false
        byte[] model = tree("classification");
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> record = Map.of("x1", 2.0, "x2", 0.10000000149011613, "c", "b");
        assertThat(compiled.compiled().predict(record).entityIds()).containsExactly("n2");
        assertThat(exact(compiled.predict(record))).isEqualTo(exact(jpmml.predict(record)));
    }

    @Test
    void missingValuesAreScoredAndUnknownOrInvalidValuesGetJpmmlsResultOrError() {
        byte[] model = forest("classification", "average", true);
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        // a missing value is the trees' to handle: x2, and its float cast f, are missing, and the trees decide
        Map<String, Object> missing = with("x2", null);
        assertThat(compiled.compiled().predict(missing)).isNotNull();
        assertThat(exact(compiled.compiled().predict(missing))).isEqualTo(exact(jpmml.predict(missing)));
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(with("c", "z"));
        records.add(with("c", 3));
        records.add(with("x1", 7.5));
        records.add(with("x1", "abc"));
        records.add(with("x1", Double.NaN));
        for (Map<String, Object> record : records) {
            assertThat(compiled.compiled().predict(record)).as("compiled path leaves %s to jpmml", record).isNull();
            assertThat(outcome(compiled, record)).as("%s", record).isEqualTo(outcome(jpmml, record));
        }
    }

    @TestFactory
    Stream<DynamicTest> loadTimeCheckCatchesAlteredArithmetic() {
        // each alteration changes one number the compiled code takes from the model: a split threshold,
        // a record count (and so a leaf's probabilities), a regression leaf's score
        return Stream.of(
                List.of("classification", "value=\"-1.5\"", "value=\"-1.25\""),
                List.of("classification", "value=\"B\" recordCount=\"2\"", "value=\"B\" recordCount=\"2.0001\""),
                List.of("regression", "score=\"2.5\"", "score=\"2.5000001\"")).map(alteration -> DynamicTest.dynamicTest(
                alteration.get(0) + ": " + alteration.get(1) + " -> " + alteration.get(2), () -> {
                    byte[] model = forest(alteration.get(0), "average", true);
                    assertAlterationIsCaught(model, alteration.get(1), alteration.get(2));
                }));
    }

    // ---------------------------------------------------------------------------------------------

    private static Stream<ConformanceCorpus.Case> corpus() {
        return ConformanceCorpus.cases().stream().filter(c -> ELIGIBLE.contains(c.name()));
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Object> with(String name, Object value) {
        Map<String, Object> record = new HashMap<>(Map.of("x1", 1.0, "x2", 2.0, "c", "a"));
        record.put(name, value);
        return record;
    }

    /** Two trees, averaged or summed; see {@link #firstTree} and {@link #secondTree}. */
    private static byte[] forest(String function, String method, boolean outputs) {
        boolean classification = function.equals("classification");
        String segments = "<Segmentation multipleModelMethod=\"" + method + "\">"
                + "<Segment id=\"1\"><True/>" + treeModel(function, firstTree(classification), "returnLastPrediction") + "</Segment>"
                + "<Segment id=\"2\"><True/>" + treeModel(function, secondTree(classification), "returnNullPrediction") + "</Segment>"
                + "</Segmentation>";
        return pmml(function, "<MiningModel functionName=\"" + function + "\">" + miningSchema()
                + output(classification, outputs) + derived() + segments + "</MiningModel>");
    }

    private static byte[] withMissingValueStrategy(byte[] model, String strategy) {
        return new String(model, StandardCharsets.UTF_8).replace("<TreeModel ", "<TreeModel missingValueStrategy=\"" + strategy + "\" ")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tree(String function) {
        boolean classification = function.equals("classification");
        return pmml(function, "<TreeModel functionName=\"" + function + "\" noTrueChildStrategy=\"returnLastPrediction\">"
                + miningSchema() + output(classification, true) + derived()
                + firstTree(classification) + "</TreeModel>");
    }

    private static String treeModel(String function, String root, String noTrueChild) {
        return "<TreeModel functionName=\"" + function + "\" noTrueChildStrategy=\"" + noTrueChild + "\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/>"
                + "<MiningField name=\"x2\"/><MiningField name=\"c\"/><MiningField name=\"f\"/></MiningSchema>"
                + root + "</TreeModel>";
    }

    /**
     * x1 ≤ -1.5: leaf A; c = "b": node n2 (its own score) with children float(x2) > 0.1 and
     * isMissing(x2); otherwise a catch-all leaf with equal counts.
     */
    private static String firstTree(boolean classification) {
        return "<Node><True/>"
                + node(classification, "<SimplePredicate field=\"x1\" operator=\"lessOrEqual\" value=\"-1.5\"/>", "A", "2.5", 3, 1, 0, "")
                + "<Node id=\"n2\" score=\"" + (classification ? "B" : "-0.75") + "\">"
                + "<SimplePredicate field=\"c\" operator=\"equal\" value=\"b\"/>" + distribution(classification, 1, 2, 1)
                + node(classification, "<SimplePredicate field=\"f\" operator=\"greaterThan\" value=\"0.1\"/>", "C", "7.25", 0, 1, 3, "")
                + node(classification, "<SimplePredicate field=\"x2\" operator=\"isMissing\"/>", "A", "0", 1, 0, 0, "")
                + "</Node>"
                + node(classification, "<True/>", "B", "1e-3", 1, 1, 1, "")
                + "</Node>";
    }

    /** x1 > 0: c ≠ "a" gives leaf C, otherwise leaf (1, 1, 0); then x2 ≥ -1: leaf B; x2 < -1: leaf A. */
    private static String secondTree(boolean classification) {
        return "<Node><True/>"
                + node(classification, "<SimplePredicate field=\"x1\" operator=\"greaterThan\" value=\"0\"/>", "C", "-4",
                        0, 1, 1, node(classification, "<SimplePredicate field=\"c\" operator=\"notEqual\" value=\"a\"/>",
                                "C", "3.5", 0, 1, 1, "") + node(classification, "<True/>", "A", "0.3", 1, 1, 0, ""))
                + node(classification, "<SimplePredicate field=\"x2\" operator=\"greaterOrEqual\" value=\"-1\"/>", "B", "-0.5", 0, 2, 1, "")
                + node(classification, "<SimplePredicate field=\"x2\" operator=\"lessThan\" value=\"-1\"/>", "A", "1.25", 2, 1, 0, "")
                + "</Node>";
    }

    private static String node(boolean classification, String predicate, String label, String value, int a, int b, int c,
            String children) {
        return "<Node score=\"" + (classification ? label : value) + "\">" + predicate + distribution(classification, a, b, c)
                + children + "</Node>";
    }

    private static String distribution(boolean classification, int a, int b, int c) {
        if (!classification) {
            return "";
        }
        return "<ScoreDistribution value=\"A\" recordCount=\"" + a + "\"/><ScoreDistribution value=\"B\" recordCount=\"" + b
                + "\"/><ScoreDistribution value=\"C\" recordCount=\"" + c + "\"/>";
    }

    private static String miningSchema() {
        return "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/>"
                + "<MiningField name=\"x2\"/><MiningField name=\"c\"/></MiningSchema>";
    }

    private static String derived() {
        return "<LocalTransformations><DerivedField name=\"f\" optype=\"continuous\" dataType=\"float\">"
                + "<FieldRef field=\"x2\"/></DerivedField></LocalTransformations>";
    }

    private static String output(boolean classification, boolean outputs) {
        if (!outputs) {
            return "";
        }
        StringBuilder output = new StringBuilder("<Output>");
        if (classification) {
            for (String label : List.of("A", "B", "C", "Z")) {
                output.append("<OutputField name=\"probability(").append(label).append(")\" optype=\"continuous\"")
                        .append(" dataType=\"double\" feature=\"probability\" value=\"").append(label).append("\"/>");
            }
        }
        return output.append("<OutputField name=\"predicted\" feature=\"predictedValue\"/></Output>").toString();
    }

    private static byte[] pmml(String function, String model) {
        String target = function.equals("classification")
                ? "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"A\"/><Value value=\"B\"/>"
                        + "<Value value=\"C\"/></DataField>"
                : "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>";
        return CompiledPaths.syntheticPmml(target, model);
    }
}
