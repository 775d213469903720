package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.Prediction;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Compiled {@code Discretize} DerivedFields (bins, closures, overlapping bins, default and
 * missing values) over inputs and over an inlined {@code DefineFunction} (scikit-learn's
 * KBinsDiscretizer with {@code add_eps}), and LightGBM's linear trees (a regression in each node),
 * compared with jpmml on random records and on values at the bins' edges; and alterations of an
 * edge, a closure, an operator and a leaf's coefficient that the load-time check must catch.
 */
class CompiledDiscretizeTest {

    @Test
    void discretizedFieldsMatchJpmmlOnRandomRecordsWithMissingAndInvalidValues() {
        CompiledPaths.assertSameOnRandomRecords(synthetic(), 29, 0.05);
    }

    @Test
    void valuesOnEveryBinEdgeAreScoredCompiledAsJpmmlScoresThem() {
        byte[] model = synthetic();
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        assertThat(compiled.isCompiled()).as(compiled.scoringNote()).isTrue();
        int checked = 0;
        for (Object n : new Object[] {0, 3, 4, 7, 8, 9, 11, 12, 14, 15, 16, 20, null}) {
            for (double income : new double[] {0.0, 1.0e-9, 19.9999, 20.0}) {
                for (Object x : new Object[] {-1.0, -1.0000000000000002, 1.0, 1.0000000000000002, 0.5, null}) {
                    Map<String, Object> record = new HashMap<>();
                    record.put("n", n);
                    record.put("income", income);
                    record.put("x", x);
                    assertThat(compiled.compiled().predict(record)).as("%s is taken", record).isNotNull();
                    assertThat(exact(compiled.compiled().predict(record))).as("%s", record)
                            .isEqualTo(exact(jpmml.predict(record)));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(13 * 4 * 6);
    }

    @Test
    void loadTimeCheckCatchesAlteredEdgesClosuresAndOperators() {
        byte[] model = synthetic();
        // one ulp above 8: n = 8 falls out of "high" into the default value
        assertAlterationIsCaught(model, "closure=\"closedClosed\" leftMargin=\"8\"",
                "closure=\"closedClosed\" leftMargin=\"8.000000000000002\"");
        assertAlterationIsCaught(model, "closure=\"closedClosed\" leftMargin=\"8\"", "closure=\"openClosed\" leftMargin=\"8\"");
        // add_eps(x) = x - (...) puts income 0 and 20 in the bins below their edges
        assertAlterationIsCaught(model, "<Apply function=\"+\"><FieldRef field=\"p\"/>", "<Apply function=\"-\"><FieldRef field=\"p\"/>");
        // bins are put in order, a later one winning where they overlap
        assertAlterationIsCaught(model, "binValue=\"top\"><Interval closure=\"closedOpen\" leftMargin=\"11\"",
                "binValue=\"top\"><Interval closure=\"closedOpen\" leftMargin=\"12\"");
    }

    @Test
    void theAuditDecisionTreesDiscretizedIncomeIsCompiled() {
        ConformanceCorpus.Case c = corpusCase("sklearn-DecisionTreeAudit");
        PmmlPipeline compiled = load(c.model(), true);
        assertThat(compiled.scoringNote()).startsWith("scored compiled (TreeModel;");
        int taken = 0;
        for (Map<String, Object> row : c.inputs()) {
            if (compiled.compiled().predict(CompiledPaths.typed(row, compiled)) != null) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(c.inputs().size());
    }

    @Test
    void linearTreesAreCompiledAndALeafsCoefficientIsCheckedAtLoad() {
        byte[] model = corpusCase("lightgbm-LinearTreeRegressionAuto").model();
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        assertThat(compiled.scoringNote()).startsWith("scored compiled (MiningModel of 31 trees;");
        // every row, the six without a horsepower too: a leaf whose regression misses an input gives the node's
        // score, as jpmml's tree evaluators do, instead of declining the record
        int withMissingInput = 0;
        for (Map<String, Object> row : corpusCase("lightgbm-LinearTreeRegressionAuto").inputs()) {
            Map<String, Object> record = typed(row, compiled);
            withMissingInput += record.containsValue(null) ? 1 : 0;
            Prediction fast = compiled.compiled().predict(record);
            assertThat(fast).as("%s", record).isNotNull();
            assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
        }
        assertThat(withMissingInput).isEqualTo(6);
        // the intercept of the second tree's most visited leaf (a quarter of the generated records), by 1e-13: a few
        // ulps of the 31 trees' sum, where a single ulp of one leaf can vanish in the sum's rounding for jpmml too
        assertAlterationIsCaught(model, "<RegressionTable intercept=\"0.6290756578795027\">",
                "<RegressionTable intercept=\"0.6290756578796027\">");
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A regression tree over three DerivedFields: {@code kbins}, the KBinsDiscretizer of
     * {@code add_eps(income)} (income a double in [0, 20]); {@code band}, bins of the integer n in
     * [0, 20] with every closure, an overlap, a default and a missing value; and {@code near}, a bin
     * of the double x without a default (missing outside it).
     */
    static byte[] synthetic() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"n\" optype=\"continuous\" dataType=\"integer\"><Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"20\"/></DataField>"
                + "<DataField name=\"income\" optype=\"continuous\" dataType=\"double\"><Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"20\"/></DataField>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
                + "</DataDictionary><TransformationDictionary>"
                + "<DefineFunction name=\"add_eps\" optype=\"continuous\" dataType=\"double\"><ParameterField name=\"p\"/>"
                + "<Apply function=\"+\"><FieldRef field=\"p\"/><Apply function=\"+\"><Constant dataType=\"double\">1.0E-8</Constant>"
                + "<Apply function=\"*\"><Constant dataType=\"double\">1.0E-5</Constant><Apply function=\"abs\"><FieldRef field=\"p\"/>"
                + "</Apply></Apply></Apply></Apply></DefineFunction></TransformationDictionary>"
                + "<TreeModel functionName=\"regression\" missingValueStrategy=\"none\" noTrueChildStrategy=\"returnLastPrediction\">"
                + "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"n\"/>"
                + "<MiningField name=\"income\"/><MiningField name=\"x\"/></MiningSchema><LocalTransformations>"
                + "<DerivedField name=\"e\" optype=\"continuous\" dataType=\"double\"><Apply function=\"add_eps\"><FieldRef field=\"income\"/></Apply></DerivedField>"
                + "<DerivedField name=\"kbins\" optype=\"categorical\" dataType=\"double\"><Discretize field=\"e\" dataType=\"double\">"
                + bin("0", "closedOpen", null, "0") + bin("1", "closedOpen", "0", "20") + bin("2", "closedOpen", "20", null)
                + "</Discretize></DerivedField>"
                + "<DerivedField name=\"band\" optype=\"categorical\" dataType=\"string\"><Discretize field=\"n\" mapMissingTo=\"none\" defaultValue=\"other\">"
                + bin("low", "openClosed", null, "3") + bin("mid", "openOpen", "3", "8") + bin("high", "closedClosed", "8", "12")
                + bin("top", "closedOpen", "11", "15")
                + "</Discretize></DerivedField>"
                + "<DerivedField name=\"near\" optype=\"categorical\" dataType=\"string\"><Discretize field=\"x\">"
                + bin("in", "closedClosed", "-1", "1") + "</Discretize></DerivedField>"
                + "</LocalTransformations>"
                + "<Node score=\"0\"><True/>"
                + node("band", "equal", "none", "1", "")
                + node("band", "equal", "low", "2", node("near", "equal", "in", "2.5", ""))
                + node("band", "equal", "mid", "3", node("kbins", "equal", "1", "3.5", ""))
                + node("band", "equal", "high", "4", node("near", "equal", "in", "4.5", "")
                        + "<Node score=\"4.25\"><SimplePredicate field=\"near\" operator=\"isMissing\"/></Node>")
                + node("band", "equal", "top", "5", node("kbins", "equal", "2", "5.5", "") + node("kbins", "equal", "0", "5.25", ""))
                + node("band", "equal", "other", "7", node("kbins", "notEqual", "1", "7.5", ""))
                + "</Node></TreeModel></PMML>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String bin(String value, String closure, String left, String right) {
        return "<DiscretizeBin binValue=\"" + value + "\"><Interval closure=\"" + closure + "\""
                + (left == null ? "" : " leftMargin=\"" + left + "\"") + (right == null ? "" : " rightMargin=\"" + right + "\"")
                + "/></DiscretizeBin>";
    }

    private static String node(String field, String operator, String value, String score, String children) {
        return "<Node score=\"" + score + "\"><SimplePredicate field=\"" + field + "\" operator=\"" + operator + "\" value=\""
                + value + "\"/>" + children + "</Node>";
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
