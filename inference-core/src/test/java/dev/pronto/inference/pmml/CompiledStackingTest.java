package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.assertSameOnRandomRecords;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.outcome;
import static dev.pronto.inference.pmml.CompiledPaths.syntheticPmml;
import static dev.pronto.inference.pmml.CompiledPaths.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Compiled stacking (classifier RegressionModels handing probabilities to a nested gradient-boosting
 * chain, as JPMML-SkLearn writes scikit-learn's StackingClassifier) gives exactly jpmml's
 * predictions, and the load-time check turns compilation off when an arithmetic detail (an
 * interaction term's or a categorical predictor's coefficient, the nested Target, the float cast of a
 * handed-on probability) differs from jpmml's.
 */
class CompiledStackingTest {

    private static final String CASE = "sklearn-StackingEnsembleAudit";

    @Test
    void theCorpusCaseIsCompiledAndEveryRowIsScoredCompiledAsJpmmlAndScikitLearnScoreIt() {
        ConformanceCorpus.Case c = corpusCase();
        PmmlPipeline compiled = load(c.model(), true);
        PmmlPipeline jpmml = load(c.model(), false);
        assertThat(compiled.scoringNote()).startsWith("scored compiled (MiningModel stacking chain of 2 RegressionModels and "
                + "a MiningModel chain of 1 boosted ensembles of 11 trees and a RegressionModel (logit); ");
        // jpmml reports the last segment's outputs only, not the base estimators' final probabilities
        assertThat(compiled.resultNames()).containsExactly("Adjusted", "probability(0)", "probability(1)");
        List<Prediction> predictions = new ArrayList<>();
        int declined = 0;
        for (Map<String, Object> row : c.inputs()) {
            Map<String, Object> record = typed(row, compiled);
            Prediction fast = compiled.compiled().predict(record);
            if (fast == null) {
                declined++;
                continue;
            }
            assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
            predictions.add(fast);
        }
        // the rows hold no missing value and nothing out of range: none is left to jpmml
        assertThat(declined).isZero();
        assertThat(predictions).hasSize(c.inputs().size());
        assertThat(c.mismatches(predictions, 10)).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> matchesJpmmlOnRandomRecordsWithMissingUnknownAndOutOfRangeValues() {
        return Stream.of(
                DynamicTest.dynamicTest("corpus case, 2 % odd values",
                        () -> assertSameOnRandomRecords(corpusCase().model(), 41, 0.02)),
                DynamicTest.dynamicTest("corpus case, 8 % odd values",
                        () -> assertSameOnRandomRecords(corpusCase().model(), 42, 0.08)),
                DynamicTest.dynamicTest("synthetic stacking, 5 % odd values",
                        () -> assertSameOnRandomRecords(synthetic(), 43, 0.05)));
    }

    @Test
    void aMissingCategoryIsSkippedByTheTablesAndScoredCompiled() {
        // c missing: member 2's categorical predictors are skipped (its intercept alone), but member 1's
        // interaction term needs NormDiscrete(c = a), which is then missing: that record is jpmml's (which
        // finds member 1's probability undefined and says so)
        byte[] model = synthetic();
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Map<String, Object> record = new HashMap<>(Map.of("x1", 1.5, "x2", -0.5));
        record.put("c", null);
        assertThat(compiled.compiled().predict(record)).isNull();
        assertThat(outcome(compiled, record)).isEqualTo(outcome(jpmml, record)).asString().contains("\"p1\" is not defined");
        byte[] noTerm = new String(model, StandardCharsets.UTF_8).replace(TERM_ON_C, "").getBytes(StandardCharsets.UTF_8);
        PmmlPipeline compiledNoTerm = load(noTerm, true);
        Prediction fast = compiledNoTerm.compiled().predict(record);
        assertThat(fast).isNotNull();
        assertThat(exact(fast)).isEqualTo(exact(load(noTerm, false).predict(record)));
    }

    @Test
    void theFloatCastOfAHandedOnProbabilityDecidesASplit() {
        // c = a gives member 2 exactly the probability the tree's threshold holds, as a double; its float
        // cast lies on the other side of the threshold, so the cast decides the leaf
        byte[] model = synthetic();
        Map<String, Object> record = Map.of("x1", 1.5, "x2", -0.5, "c", "a");
        Prediction withCast = load(model, true).compiled().predict(record);
        byte[] withoutCast = new String(model, StandardCharsets.UTF_8).replace(FLOAT_P2, FLOAT_P2.replace("float\">", "double\">"))
                .getBytes(StandardCharsets.UTF_8);
        Prediction castless = load(withoutCast, true).compiled().predict(record);
        assertThat(withCast).isNotNull();
        assertThat(castless).isNotNull();
        assertThat(exact(withCast)).isEqualTo(exact(load(model, false).predict(record)));
        assertThat(withCast.probabilities()).isNotEqualTo(castless.probabilities());
    }

    @TestFactory
    Stream<DynamicTest> loadTimeCheckCatchesAlteredArithmetic() {
        // each alteration changes one detail the compiled code takes from the model; compiled from the
        // altered model and checked against jpmml on the original, it must be found out. The base
        // estimators' own coefficients reach the result only through tree splits: the check compares
        // their handed-on probabilities too, which HandedOnCheckTest alters
        return Stream.of(
                List.of("corpus", "rescaleConstant=\"-1.1781386007711727\"", "rescaleConstant=\"-1.17813860077117\""),
                List.of("corpus", "rescaleFactor=\"0.1\"", "rescaleFactor=\"0.10000000000000002\""),
                List.of("synthetic", "rescaleConstant=\"-0.5\"", "rescaleConstant=\"-0.4999\""),
                List.of("synthetic", FLOAT_P2, FLOAT_P2.replace("float\">", "double\">"))).map(alteration -> DynamicTest.dynamicTest(
                alteration.get(0) + ": " + alteration.get(1) + " -> " + alteration.get(2), () -> {
                    byte[] model = alteration.get(0).equals("corpus") ? corpusCase().model() : synthetic();
                    assertAlterationIsCaught(model, alteration.get(1), alteration.get(2));
                }));
    }

    // ---------------------------------------------------------------------------------------------

    private static ConformanceCorpus.Case corpusCase() {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(CASE)).findFirst().orElseThrow();
    }

    private static final String TERM_ON_C = "<PredictorTerm name=\"x1:c=a\" coefficient=\"-1.3\"><FieldRef field=\"x1\"/>"
            + "<FieldRef field=\"c=a\"/></PredictorTerm>";

    private static final String FLOAT_P2 = "<DerivedField name=\"float(p2)\" optype=\"continuous\" dataType=\"float\">";

    /**
     * StackingEnsembleAudit's shape on the synthetic inputs: member 1 with numeric, squared,
     * categorical (on an input and on a discretized DerivedField) predictors, interaction terms and
     * an intercept; member 2 with categorical predictors only, so its probability for c = a is one
     * known double; a boosting chain over both (float casts, two trees, a Target), then a logit.
     */
    static byte[] synthetic() {
        // member 2's table for c = a, as jpmml sums it: the predictor, then the intercept; then the logit
        double value = 0.0 + 1.7;
        value += -0.2;
        double p = 1d / (1d + Math.exp(-value));
        float cast = (float) p;
        assertThat((double) cast).isNotEqualTo(p);
        // the split puts p on one side as a double and its float cast on the other
        String operator = (double) cast > p ? "lessOrEqual" : "lessThan";
        String member1 = "<Segment id=\"1\"><True/><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">"
                + "<MiningSchema><MiningField name=\"x1\"/><MiningField name=\"x2\"/><MiningField name=\"c\"/>"
                + "<MiningField name=\"band\"/><MiningField name=\"c=a\"/></MiningSchema>"
                + "<Output><OutputField name=\"p1\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"yes\" isFinalResult=\"false\"/>"
                + "<OutputField name=\"probability(1, no)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"no\"/></Output>"
                + "<RegressionTable intercept=\"0.3\" targetCategory=\"yes\">"
                + "<NumericPredictor name=\"x1\" coefficient=\"0.7\"/>"
                + "<NumericPredictor name=\"x2\" exponent=\"2\" coefficient=\"-0.05\"/>"
                + "<CategoricalPredictor name=\"c\" value=\"a\" coefficient=\"0.4\"/>"
                + "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"-0.6\"/>"
                + "<CategoricalPredictor name=\"band\" value=\"high\" coefficient=\"0.25\"/>"
                + TERM_ON_C
                + "<PredictorTerm name=\"x1:x2\" coefficient=\"0.11\"><FieldRef field=\"x1\"/><FieldRef field=\"x2\"/></PredictorTerm>"
                + "</RegressionTable><RegressionTable intercept=\"0.0\" targetCategory=\"no\"/></RegressionModel></Segment>";
        String member2 = "<Segment id=\"2\"><True/><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">"
                + "<MiningSchema><MiningField name=\"c\"/></MiningSchema>"
                + "<Output><OutputField name=\"p2\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"yes\" isFinalResult=\"false\"/>"
                + "<OutputField name=\"probability(2, yes)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"yes\"/></Output>"
                + "<RegressionTable intercept=\"-0.2\" targetCategory=\"yes\">"
                + "<CategoricalPredictor name=\"c\" value=\"a\" coefficient=\"1.7\"/>"
                + "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"0.9\"/>"
                + "</RegressionTable><RegressionTable intercept=\"0.0\" targetCategory=\"no\"/></RegressionModel></Segment>";
        String trees = "<Segment id=\"1\"><True/>" + tree("double(float(p2))", operator, String.valueOf(p), "1.5", "-1.5") + "</Segment>"
                + "<Segment id=\"2\"><True/>" + tree("double(float(p1))", "lessOrEqual", "0.5", "0.8", "-0.4") + "</Segment>";
        String boosting = "<Segment id=\"3\"><True/><MiningModel functionName=\"classification\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"p1\"/><MiningField name=\"p2\"/></MiningSchema>"
                + "<Segmentation multipleModelMethod=\"modelChain\">"
                + "<Segment id=\"1\"><True/><MiningModel functionName=\"regression\">"
                + "<MiningSchema><MiningField name=\"p1\"/><MiningField name=\"p2\"/></MiningSchema>"
                + "<Output><OutputField name=\"decisionFunction\" optype=\"continuous\" dataType=\"double\" isFinalResult=\"false\"/></Output>"
                + "<Targets><Target rescaleFactor=\"0.1\" rescaleConstant=\"-0.5\"/></Targets>"
                + "<LocalTransformations>"
                + "<DerivedField name=\"float(p1)\" optype=\"continuous\" dataType=\"float\"><FieldRef field=\"p1\"/></DerivedField>"
                + FLOAT_P2 + "<FieldRef field=\"p2\"/></DerivedField>"
                + "<DerivedField name=\"double(float(p1))\" optype=\"continuous\" dataType=\"double\"><FieldRef field=\"float(p1)\"/></DerivedField>"
                + "<DerivedField name=\"double(float(p2))\" optype=\"continuous\" dataType=\"double\"><FieldRef field=\"float(p2)\"/></DerivedField>"
                + "</LocalTransformations>"
                + "<Segmentation multipleModelMethod=\"sum\">" + trees + "</Segmentation></MiningModel></Segment>"
                + "<Segment id=\"2\"><True/><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"decisionFunction\"/></MiningSchema>"
                + "<Output><OutputField name=\"probability(no)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"no\"/>"
                + "<OutputField name=\"probability(yes)\" optype=\"continuous\" dataType=\"double\" feature=\"probability\" value=\"yes\"/></Output>"
                + "<RegressionTable intercept=\"0.0\" targetCategory=\"yes\"><NumericPredictor name=\"decisionFunction\" coefficient=\"1.0\"/></RegressionTable>"
                + "<RegressionTable intercept=\"0.0\" targetCategory=\"no\"/></RegressionModel></Segment>"
                + "</Segmentation></MiningModel></Segment>";
        String model = "<MiningModel functionName=\"classification\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/><MiningField name=\"x2\"/>"
                + "<MiningField name=\"c\"/></MiningSchema>"
                + "<LocalTransformations>"
                + "<DerivedField name=\"band\" optype=\"categorical\" dataType=\"string\"><Discretize field=\"x1\">"
                + "<DiscretizeBin binValue=\"low\"><Interval closure=\"closedOpen\" rightMargin=\"0\"/></DiscretizeBin>"
                + "<DiscretizeBin binValue=\"high\"><Interval closure=\"closedOpen\" leftMargin=\"0\"/></DiscretizeBin></Discretize></DerivedField>"
                + "<DerivedField name=\"c=a\" optype=\"continuous\" dataType=\"double\"><NormDiscrete field=\"c\" value=\"a\"/></DerivedField>"
                + "</LocalTransformations>"
                + "<Segmentation multipleModelMethod=\"modelChain\">" + member1 + member2 + boosting + "</Segmentation></MiningModel>";
        return syntheticPmml("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"no\"/>"
                + "<Value value=\"yes\"/></DataField>", model);
    }

    /** A regression tree of one split on {@code field}: {@code left} where the predicate holds, else {@code right}. */
    private static String tree(String field, String operator, String threshold, String left, String right) {
        String negated = operator.equals("lessOrEqual") ? "greaterThan" : "greaterOrEqual";
        return "<TreeModel functionName=\"regression\" missingValueStrategy=\"nullPrediction\" noTrueChildStrategy=\"returnLastPrediction\">"
                + "<MiningSchema><MiningField name=\"" + field + "\"/></MiningSchema>"
                + "<Node score=\"0.0\"><True/>"
                + "<Node score=\"" + left + "\"><SimplePredicate field=\"" + field + "\" operator=\"" + operator + "\" value=\"" + threshold + "\"/></Node>"
                + "<Node score=\"" + right + "\"><SimplePredicate field=\"" + field + "\" operator=\"" + negated + "\" value=\"" + threshold + "\"/></Node>"
                + "</Node></TreeModel>";
    }
}
