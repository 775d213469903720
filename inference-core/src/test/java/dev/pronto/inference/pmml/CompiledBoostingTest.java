package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.assertSameOnRandomRecords;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.Prediction;

/**
 * Compiled gradient boosting (model chains of tree sums and a link RegressionModel), weighted sums
 * with Target rescaling, and (weighted) majority votes give exactly jpmml's predictions, and the
 * load-time check turns compilation off when an arithmetic detail (a link function, a rescale
 * factor, a comparison, a weight) differs from jpmml's.
 */
class CompiledBoostingTest {

    @TestFactory
    Stream<DynamicTest> syntheticEnsemblesMatchJpmmlOnRandomRecordsWithMissingAndInvalidValues() {
        return Stream.of(
                DynamicTest.dynamicTest("binary chain, logit", () -> assertSameOnRandomRecords(binaryChain(), 21, 0.05)),
                DynamicTest.dynamicTest("three-class chain, softmax", () -> assertSameOnRandomRecords(softmaxChain(), 22, 0.05)),
                DynamicTest.dynamicTest("majority vote", () -> assertSameOnRandomRecords(vote("majorityVote"), 23, 0.05)),
                DynamicTest.dynamicTest("weighted majority vote",
                        () -> assertSameOnRandomRecords(vote("weightedMajorityVote"), 24, 0.05)),
                DynamicTest.dynamicTest("regression weightedSum with Target",
                        () -> assertSameOnRandomRecords(regression("weightedSum"), 25, 0.05)),
                DynamicTest.dynamicTest("regression weightedAverage with Target",
                        () -> assertSameOnRandomRecords(regression("weightedAverage"), 26, 0.05)));
    }

    @Test
    void aMissingValueFollowsTheDefaultChild() {
        // x1 missing: the root's default child r1 is taken, then c = "a" is in (a c): leaf r11
        assertCompiledAndSame(binaryChain(), record(null, 0.5, "a"));
        assertCompiledAndSame(binaryChain(), record(0.5, 0.5, null));
    }

    @Test
    void aTieOfVotesGoesToTheClassVotedFirst() {
        // the three trees vote C (no true child), B, A: one vote each, and C, voted first, wins (not A,
        // first in class order)
        byte[] model = vote("majorityVote");
        Prediction prediction = assertCompiledAndSame(model, record(3.0, 0.5, "a"));
        assertThat(prediction.value()).isEqualTo("C");
        assertThat(prediction.probabilities().values()).allMatch(p -> p == 1.0 / 3);
    }

    @Test
    void aClassWithoutVotesHasProbabilityZero() {
        // T1: x1 <= 0 gives A; T2: x2 < 1 gives B; T3: c in (a b) gives A; C gets no vote
        Prediction prediction = assertCompiledAndSame(vote("majorityVote"), record(-1.0, 0.5, "a"));
        assertThat(prediction.value()).isEqualTo("A");
        assertThat(prediction.probabilities().get("C")).isEqualTo(0.0);
    }

    @TestFactory
    Stream<DynamicTest> loadTimeCheckCatchesAlteredArithmetic() {
        // each alteration changes one detail the compiled code takes from the model; compiled from the
        // altered model and checked against jpmml on the original, it must be found out
        return Stream.of(
                List.of("binary", "normalizationMethod=\"logit\"", "normalizationMethod=\"cloglog\""),
                List.of("binary", "rescaleFactor=\"0.1\"", "rescaleFactor=\"0.1000001\""),
                List.of("binary", "rescaleConstant=\"-0.5\"", "rescaleConstant=\"-0.4999\""),
                List.of("binary", "operator=\"lessThan\" value=\"0\"", "operator=\"lessOrEqual\" value=\"0\""),
                List.of("softmax", "normalizationMethod=\"softmax\"", "normalizationMethod=\"simplemax\""),
                List.of("softmax", "weight=\"0.75\"", "weight=\"0.7500001\""),
                List.of("weightedMajorityVote", "weight=\"0.25\"", "weight=\"0.5\""),
                List.of("weightedSum", "weight=\"0.75\"", "weight=\"0.75001\"")).map(alteration -> DynamicTest.dynamicTest(
                alteration.get(0) + ": " + alteration.get(1) + " -> " + alteration.get(2), () -> {
                    byte[] model = switch (alteration.get(0)) {
                        case "binary" -> binaryChain();
                        case "softmax" -> softmaxChain();
                        case "weightedMajorityVote" -> vote("weightedMajorityVote");
                        default -> regression(alteration.get(0));
                    };
                    assertAlterationIsCaught(model, alteration.get(1), alteration.get(2));
                }));
    }

    @Test
    void theLoadLineNamesTheChain() {
        assertThat(load(binaryChain(), true).scoringNote()).startsWith(
                "scored compiled (MiningModel chain of 1 boosted ensembles of 2 trees and a RegressionModel (logit); ");
    }

    // ---------------------------------------------------------------------------------------------

    private static Prediction assertCompiledAndSame(byte[] model, Map<String, Object> record) {
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        Prediction fast = compiled.compiled().predict(record);
        assertThat(fast).as("compiled prediction of %s", record).isNotNull();
        assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
        return fast;
    }

    private static Map<String, Object> record(Object x1, Object x2, Object c) {
        Map<String, Object> record = new HashMap<>();
        record.put("x1", x1);
        record.put("x2", x2);
        record.put("c", c);
        return record;
    }

    /** HistGradientBoosting's shape: one member (a Target-rescaled sum of two trees), then a logit link. */
    private static byte[] binaryChain() {
        String member = member("decisionFunction", "sum", "<Targets><Target rescaleFactor=\"0.1\" rescaleConstant=\"-0.5\"/></Targets>",
                segment("1", "", defaultChildTree("0")) + segment("2", "", lastPredictionTree("0")));
        String link = "<RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"decisionFunction\"/></MiningSchema>"
                + probabilityOutputs(List.of("no", "yes"))
                + "<RegressionTable intercept=\"0.0\" targetCategory=\"yes\"><NumericPredictor name=\"decisionFunction\" coefficient=\"1.0\"/></RegressionTable>"
                + "<RegressionTable intercept=\"0.0\" targetCategory=\"no\"/></RegressionModel>";
        return pmml("<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"no\"/><Value value=\"yes\"/></DataField>",
                chain(member, link));
    }

    /** GradientBoosting's shape for three classes: one weighted sum per class, then a softmax link. */
    private static byte[] softmaxChain() {
        StringBuilder members = new StringBuilder();
        StringBuilder tables = new StringBuilder();
        List<String> classes = List.of("A", "B", "C");
        for (int k = 0; k < classes.size(); k++) {
            String name = "decisionFunction(" + classes.get(k) + ")";
            members.append(member(name, "weightedSum", "<Targets><Target rescaleConstant=\"" + (k - 1) * 0.25 + "\"/></Targets>",
                    segment("1", " weight=\"0.75\"", defaultChildTree(String.valueOf(k)))
                            + segment("2", " weight=\"1.5\"", lastPredictionTree(String.valueOf(k)))));
            tables.append("<RegressionTable intercept=\"0.0\" targetCategory=\"").append(classes.get(k))
                    .append("\"><NumericPredictor name=\"").append(name).append("\" coefficient=\"1.0\"/></RegressionTable>");
        }
        String link = "<RegressionModel functionName=\"classification\" normalizationMethod=\"softmax\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
                + "<MiningField name=\"decisionFunction(A)\"/><MiningField name=\"decisionFunction(B)\"/><MiningField name=\"decisionFunction(C)\"/>"
                + "</MiningSchema>" + probabilityOutputs(classes) + tables + "</RegressionModel>";
        return pmml(classTarget(), chain(members.toString(), link));
    }

    private static String chain(String members, String link) {
        return "<MiningModel functionName=\"classification\">" + miningSchema()
                + "<Segmentation multipleModelMethod=\"modelChain\">" + members
                + "<Segment id=\"last\"><True/>" + link + "</Segment></Segmentation></MiningModel>";
    }

    private static String member(String output, String method, String targets, String segments) {
        return "<Segment id=\"" + output + "\"><True/><MiningModel functionName=\"regression\">"
                + "<MiningSchema><MiningField name=\"x1\"/><MiningField name=\"x2\"/><MiningField name=\"c\"/></MiningSchema>"
                + "<Output><OutputField name=\"" + output + "\" optype=\"continuous\" dataType=\"double\" isFinalResult=\"false\"/></Output>"
                + targets + "<Segmentation multipleModelMethod=\"" + method + "\">" + segments + "</Segmentation></MiningModel></Segment>";
    }

    private static String segment(String id, String weight, String tree) {
        return "<Segment id=\"" + id + "\"" + weight + "><True/>" + tree + "</Segment>";
    }

    /**
     * A regression tree whose missing values follow default children: x1 ≤ 1 (the default), then c in
     * (a c) (the default) or not in (a c); x1 &gt; 1. Scores shift with {@code k}.
     */
    private static String defaultChildTree(String k) {
        return "<TreeModel functionName=\"regression\" missingValueStrategy=\"defaultChild\">" + treeSchema()
                + "<Node id=\"r\" defaultChild=\"r1\"><True/>"
                + "<Node id=\"r1\" score=\"0.5" + k + "\" defaultChild=\"r11\"><SimplePredicate field=\"x1\" operator=\"lessOrEqual\" value=\"1\"/>"
                + "<Node id=\"r11\" score=\"1.25" + k + "\"><SimpleSetPredicate field=\"c\" booleanOperator=\"isIn\"><Array type=\"string\">a c</Array></SimpleSetPredicate></Node>"
                + "<Node id=\"r12\" score=\"-0.75" + k + "\"><SimpleSetPredicate field=\"c\" booleanOperator=\"isNotIn\"><Array type=\"string\">a c</Array></SimpleSetPredicate></Node>"
                + "</Node>"
                + "<Node id=\"r2\" score=\"-2." + k + "\"><SimplePredicate field=\"x1\" operator=\"greaterThan\" value=\"1\"/></Node>"
                + "</Node></TreeModel>";
    }

    /** x2 &lt; 0 or x2 ≥ 2 give their leaves; in between no child is true and the root's score stays. */
    private static String lastPredictionTree(String k) {
        return "<TreeModel functionName=\"regression\" missingValueStrategy=\"nullPrediction\" noTrueChildStrategy=\"returnLastPrediction\">"
                + treeSchema() + "<Node score=\"0.1" + k + "\"><True/>"
                + "<Node score=\"0.3" + k + "\"><SimplePredicate field=\"x2\" operator=\"lessThan\" value=\"0\"/></Node>"
                + "<Node score=\"-0.2" + k + "\"><SimplePredicate field=\"x2\" operator=\"greaterOrEqual\" value=\"2\"/></Node>"
                + "</Node></TreeModel>";
    }

    /** Three trees voting with bare labels (R's randomForest writes no ScoreDistributions). */
    private static byte[] vote(String method) {
        boolean weighted = method.startsWith("weighted");
        String t1 = "<Node score=\"C\"><True/>"
                + "<Node score=\"A\"><SimplePredicate field=\"x1\" operator=\"lessOrEqual\" value=\"0\"/></Node>"
                + "<Node score=\"B\"><SimplePredicate field=\"c\" operator=\"equal\" value=\"b\"/></Node></Node>";
        String t2 = "<Node score=\"A\"><True/>"
                + "<Node score=\"B\"><SimplePredicate field=\"x2\" operator=\"lessThan\" value=\"1\"/></Node></Node>";
        String t3 = "<Node score=\"B\"><True/>"
                + "<Node score=\"A\"><SimpleSetPredicate field=\"c\" booleanOperator=\"isIn\"><Array type=\"string\">a b</Array></SimpleSetPredicate></Node>"
                + "<Node score=\"C\"><SimplePredicate field=\"x1\" operator=\"greaterThan\" value=\"2\"/></Node></Node>";
        String segments = voteSegment("1", weighted ? " weight=\"0.5\"" : "", t1) + voteSegment("2", weighted ? " weight=\"0.25\"" : "", t2)
                + voteSegment("3", weighted ? " weight=\"0.4\"" : "", t3);
        return pmml(classTarget(), "<MiningModel functionName=\"classification\">" + miningSchema() + probabilityOutputs(List.of("A", "B", "C", "Z"))
                + "<Segmentation multipleModelMethod=\"" + method + "\">" + segments + "</Segmentation></MiningModel>");
    }

    private static String voteSegment(String id, String weight, String root) {
        return segment(id, weight, "<TreeModel functionName=\"classification\" noTrueChildStrategy=\"returnLastPrediction\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/><MiningField name=\"x2\"/>"
                + "<MiningField name=\"c\"/></MiningSchema>" + root + "</TreeModel>");
    }

    /** GradientBoostingRegressor's and XGBoost's shape (in double arithmetic): a weighted sum of trees, rescaled. */
    private static byte[] regression(String method) {
        return pmml("<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>",
                "<MiningModel functionName=\"regression\">" + miningSchema()
                        + "<Output><OutputField name=\"predicted\" feature=\"predictedValue\"/></Output>"
                        + "<Targets><Target field=\"y\" rescaleFactor=\"1.5\" rescaleConstant=\"3.25\"/></Targets>"
                        + "<Segmentation multipleModelMethod=\"" + method + "\">"
                        + segment("1", " weight=\"0.75\"", defaultChildTree("1")) + segment("2", " weight=\"0.5\"", lastPredictionTree("2"))
                        + "</Segmentation></MiningModel>");
    }

    private static String treeSchema() {
        return "<MiningSchema><MiningField name=\"x1\"/><MiningField name=\"x2\"/><MiningField name=\"c\"/></MiningSchema>";
    }

    private static String miningSchema() {
        return "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/>"
                + "<MiningField name=\"x2\"/><MiningField name=\"c\"/></MiningSchema>";
    }

    private static String probabilityOutputs(List<String> classes) {
        StringBuilder output = new StringBuilder("<Output>");
        for (String label : classes) {
            output.append("<OutputField name=\"probability(").append(label).append(")\" optype=\"continuous\"")
                    .append(" dataType=\"double\" feature=\"probability\" value=\"").append(label).append("\"/>");
        }
        return output.append("</Output>").toString();
    }

    private static String classTarget() {
        return "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"A\"/><Value value=\"B\"/>"
                + "<Value value=\"C\"/></DataField>";
    }

    private static byte[] pmml(String target, String model) {
        return CompiledPaths.syntheticPmml(target, model);
    }
}
