package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.dmg.pmml.DataType;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.junit.jupiter.api.Test;

/**
 * The entry point's contract on its own: a failure anywhere while compiling or checking leaves the
 * model on jpmml with a note, never an exception; and the typed inputs accept exactly what jpmml's
 * preparation of a valid value accepts. Agreement with jpmml is covered by
 * {@code CompiledRegressionTest} and the conformance corpus.
 */
class ModelCompilerTest {

    @Test
    void aFailureWhileCheckingLeavesTheModelOnJpmml() throws Exception {
        // a reference that returns nothing makes the cross-check itself fail
        Compilation compilation = ModelCompiler.compile(iris(), List.of(), record -> null, 10, 1);
        assertThat(compilation.scorer()).isEmpty();
        assertThat(compilation.warmUpRecord()).isEmpty();
        assertThat(compilation.note()).startsWith("scored by jpmml (compiling it failed: ");
    }

    @Test
    void aReferenceThatRejectsEveryRecordLeavesTheModelOnJpmml() throws Exception {
        Compilation compilation = ModelCompiler.compile(iris(), List.of(), record -> {
            throw new IllegalStateException("refused");
        }, 10, 1);
        assertThat(compilation.scorer()).isEmpty();
        assertThat(compilation.note()).startsWith("scored by jpmml (its compiled scorer differs from jpmml compiled code scored ")
                .endsWith("which jpmml rejects: refused)");
    }

    @Test
    void numericInputTakesFiniteNumbersInsideItsIntervalsOnly() {
        Input.Numeric input = new Input.Numeric("x", DataType.DOUBLE, new Input.Interval[] {
            new Input.Interval(0, true, 1, false), new Input.Interval(5, false, Double.POSITIVE_INFINITY, true)}, false, false);
        assertThat(input.number(0.0)).isEqualTo(0.0);
        assertThat(input.number(7)).isEqualTo(7.0);
        assertThat(input.number(6L)).isEqualTo(6.0);
        for (Object declined : new Object[] {1.0, 5.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, "0.5", null,
            new java.math.BigDecimal("0.5")}) {
            assertThatThrownBy(() -> input.number(declined)).as("%s", declined).isSameAs(NotCompiled.INSTANCE);
        }
        assertThat(new Input.Numeric("y", DataType.DOUBLE, new Input.Interval[0], false, false).number(-1e300)).isEqualTo(-1e300);
    }

    @Test
    void aModelThatTakesMissingValuesReadsThemAsNaNOrMissingCategory() {
        assertThat(new Input.Numeric("x", DataType.DOUBLE, new Input.Interval[0], true, false).number(null)).isNaN();
        // NaN given as a value is not a missing value: jpmml treats it as invalid
        assertThatThrownBy(() -> new Input.Numeric("x", DataType.DOUBLE, new Input.Interval[0], true, false).number(Double.NaN))
                .isSameAs(NotCompiled.INSTANCE);
        assertThat(new Input.Categorical("c", DataType.STRING, List.of("a"), true, false).category(null)).isEqualTo(Input.Categorical.MISSING);
    }

    @Test
    void categoricalInputTakesItsDeclaredStringsOnly() {
        Input.Categorical input = new Input.Categorical("c", DataType.STRING, List.of("a", "b"), false, false);
        assertThat(input.category("b")).isEqualTo(1);
        for (Object declined : new Object[] {"z", 1, null}) {
            assertThatThrownBy(() -> input.category(declined)).as("%s", declined).isSameAs(NotCompiled.INSTANCE);
        }
    }

    @Test
    void integerDoubleAndBooleanCategoricalInputsTakeValuesAsJpmmlParsesThem() {
        Input.Categorical integer = new Input.Categorical("n", DataType.INTEGER, List.of(4, 6), false, false);
        assertThat(integer.category(6)).isEqualTo(1);
        assertThat(integer.category(4L)).isEqualTo(0);
        assertThat(integer.category("6")).isEqualTo(1);
        assertThat(integer.indexOf("4")).isEqualTo(0);
        Input.Categorical decimal = new Input.Categorical("d", DataType.DOUBLE, List.of(70.0, 1.5), false, false);
        assertThat(decimal.category(70)).isEqualTo(0);
        assertThat(decimal.category("1.5")).isEqualTo(1);
        assertThat(decimal.category(1.5)).isEqualTo(1);
        // other types and spellings (4.0 for an integer, exponents, a long out of range) go to jpmml
        for (Object declined : new Object[] {4.0, "4.0", "6 ", 5, 1L << 40}) {
            assertThatThrownBy(() -> integer.category(declined)).as("%s", declined).isSameAs(NotCompiled.INSTANCE);
        }
        for (Object declined : new Object[] {"7e1", 70.0f, 0.0, -0.0, Double.NaN, "abc"}) {
            assertThatThrownBy(() -> decimal.category(declined)).as("%s", declined).isSameAs(NotCompiled.INSTANCE);
        }
        // TypeUtil.parseFlag: true or false in any case; jpmml's casts of numbers are not mirrored
        Input.Categorical flag = new Input.Categorical("b", DataType.BOOLEAN, List.of(false, true), false, false);
        assertThat(flag.category("FALSE")).isEqualTo(0);
        assertThat(flag.category(true)).isEqualTo(1);
        for (Object declined : new Object[] {1, "yes", "t"}) {
            assertThatThrownBy(() -> flag.category(declined)).as("%s", declined).isSameAs(NotCompiled.INSTANCE);
        }
    }

    @Test
    void compiledFieldsReadInputsAndDerivedFieldsIntoSlots() {
        CompiledFields fields = new CompiledFields(null,
                List.of(new Input.Numeric("x", DataType.DOUBLE, new Input.Interval[0], false, false), new Input.Categorical("c", DataType.STRING, List.of("a", "b"), false, false)),
                List.of(new Node.Aggregate(Node.AggregateFunction.AVG, new Node[] {new Node.Slot(0), new Node.Constant(3)})), List.of());
        double[] slots = new double[fields.slotCount()];
        int[] categories = fields.read(Map.of("x", 1.0, "c", "b"), slots);
        assertThat(slots).containsExactly(1.0, 0.0, 2.0);
        assertThat(categories[1]).isEqualTo(1);
        // a derived value that is not finite is left to jpmml
        CompiledFields logOfZero = new CompiledFields(null, List.of(new Input.Numeric("x", DataType.DOUBLE, new Input.Interval[0], false, false)),
                List.of(new Node.Unary(Node.UnaryFunction.LN, new Node.Slot(0))), List.of());
        assertThatThrownBy(() -> logOfZero.read(Map.of("x", 0.0), new double[2])).isSameAs(NotCompiled.INSTANCE);
    }

    private static Evaluator iris() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("../examples/models/iris/model.pmml"))) {
            return new LoadingModelEvaluatorBuilder().load(in).build();
        }
    }
}
