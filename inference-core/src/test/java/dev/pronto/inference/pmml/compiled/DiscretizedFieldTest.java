package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Discretize;
import org.jpmml.evaluator.DiscretizationUtil;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.ModelEvaluator;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscretizedField} against jpmml's own {@code DiscretizationUtil.discretize} on every bin edge,
 * the doubles beside it and values in between: every closure, unbounded ends, an overlap (the later
 * bin wins), a default value and a missing value; and the Audit models' KBins field, taken by
 * {@link FieldCompiler} as a DiscretizedField rather than evaluated by jpmml.
 */
class DiscretizedFieldTest {

    private static final String BINS = bin("low", "openClosed", null, "3") + bin("mid", "openOpen", "3", "8")
            + bin("high", "closedClosed", "8", "12") + bin("top", "closedOpen", "11", "15") + bin("neg", "openOpen", null, "-2");

    @Test
    void givesJpmmlsBinForEveryEdgeAndTheDoublesBesideIt() throws Exception {
        ModelEvaluator<?> evaluator = evaluator("<Discretize field=\"x\" mapMissingTo=\"none\" defaultValue=\"other\">" + BINS
                + "</Discretize>");
        DerivedField field = evaluator.getLocalDerivedField("band");
        Discretize discretize = (Discretize) field.requireExpression();
        DiscretizedField compiled = DiscretizedField.of(field, discretize, 0);
        List<Object> names = List.of("low", "mid", "high", "top", "neg", "other", "none");
        names.forEach(compiled::categoryIndex);
        compiled = compiled.frozen(evaluator, List.of());
        List<Double> values = new ArrayList<>();
        for (double edge : new double[] {-2, 3, 8, 11, 12, 15}) {
            values.add(edge);
            values.add(Math.nextDown(edge));
            values.add(Math.nextUp(edge));
            values.add(edge + 0.5);
        }
        values.add(-0.0);
        values.add(0.0);
        values.add(-1e300);
        values.add(1e300);
        for (double x : values) {
            Object expected = DiscretizationUtil.discretize(discretize, x);
            assertThat(compiled.category(new double[] {x})).as("%s", x).isEqualTo(names.indexOf(expected));
        }
        assertThat(compiled.category(new double[] {Double.NaN})).isEqualTo(names.indexOf("none"));
    }

    @Test
    void aBinValueNoPredicateNamesIsInvalidAndAnAbsentDefaultIsMissing() throws Exception {
        ModelEvaluator<?> evaluator = evaluator("<Discretize field=\"x\">" + BINS + "</Discretize>");
        DerivedField field = evaluator.getLocalDerivedField("band");
        DiscretizedField compiled = DiscretizedField.of(field, (Discretize) field.requireExpression(), 0);
        int mid = compiled.categoryIndex("mid");
        compiled = compiled.frozen(evaluator, List.of());
        assertThat(compiled.category(new double[] {5})).isEqualTo(mid);
        assertThat(compiled.category(new double[] {1})).isEqualTo(Input.Categorical.INVALID);
        assertThat(compiled.category(new double[] {20})).isEqualTo(Input.Categorical.MISSING);
        assertThat(compiled.category(new double[] {Double.NaN})).isEqualTo(Input.Categorical.MISSING);
    }

    @Test
    void aDiscretizeOfAnotherTypeThanItsFieldIsLeftToJpmml() throws Exception {
        ModelEvaluator<?> evaluator = evaluator("<Discretize field=\"x\" dataType=\"integer\">"
                + bin("1", "closedOpen", "0", "1") + "</Discretize>");
        DerivedField field = evaluator.getLocalDerivedField("band");
        assertThatThrownBy(() -> DiscretizedField.of(field, (Discretize) field.requireExpression(), 0))
                .isInstanceOf(NotEligible.class).hasMessageContaining("casts its discretized value");
    }

    @Test
    void theAuditModelsIncomeBinsAreComputedFromAnInlinedAddEps() throws Exception {
        byte[] pmml = Files.readAllBytes(Path.of("src/test/resources/conformance/cases/sklearn-DecisionTreeAudit/model.pmml"));
        ModelEvaluator<?> evaluator = (ModelEvaluator<?>) new LoadingModelEvaluatorBuilder()
                .load(new ByteArrayInputStream(pmml)).build();
        String name = "discretize(add_eps(Income))";
        DerivedField field = evaluator.getLocalDerivedField(name);
        FieldCompiler fields = new FieldCompiler(evaluator, true, true);
        int before = fields.build().slotCount();
        fields.categoricalIndex(name);
        // add_eps(Income) got a compiled slot of its own, which the Discretize reads (a field evaluated by
        // jpmml would have added none); and the Discretize itself is one DiscretizedField mirrors
        assertThat(fields.build().slotCount()).isEqualTo(before + 1);
        DiscretizedField income = DiscretizedField.of(field, (Discretize) field.requireExpression(), before);
        assertThat(income.intervals()).hasSize(3);
        assertThat(income.binValues()).containsExactly(0.0, 1.0, 2.0);
    }

    // ---------------------------------------------------------------------------------------------

    private static ModelEvaluator<?> evaluator(String discretize) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
                + "<TreeModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
                + "<MiningField name=\"x\"/></MiningSchema><LocalTransformations>"
                + "<DerivedField name=\"band\" optype=\"categorical\" dataType=\"string\">" + discretize + "</DerivedField>"
                + "</LocalTransformations><Node score=\"1\"><True/></Node></TreeModel></PMML>";
        return (ModelEvaluator<?>) new LoadingModelEvaluatorBuilder()
                .load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static String bin(String value, String closure, String left, String right) {
        return "<DiscretizeBin binValue=\"" + value + "\"><Interval closure=\"" + closure + "\""
                + (left == null ? "" : " leftMargin=\"" + left + "\"") + (right == null ? "" : " rightMargin=\"" + right + "\"")
                + "/></DiscretizeBin>";
    }
}
