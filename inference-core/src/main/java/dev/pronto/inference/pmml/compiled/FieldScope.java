package dev.pronto.inference.pmml.compiled;

import org.dmg.pmml.DataType;

/**
 * Where a model part being compiled finds the fields it names, as slots (numeric values) and
 * category indexes, the way jpmml's evaluation context of that part resolves them: the model's own
 * inputs and DerivedFields ({@link FieldCompiler}), or, for a model nested in a model chain, its
 * local DerivedFields and the values earlier members of the chain handed on ({@link ChainScope}).
 * {@link TreeCompiler}, {@link ExpressionCompiler} and {@link RegressionCompiler} compile against
 * this, so one tree or table compiles the same in either scope.
 *
 * <p>Not thread-safe: compiling fills it.
 */
interface FieldScope {

    /** The slot of a numeric field, compiling the DerivedField behind it if needed; throws {@link NotEligible}. */
    int numericSlot(String name);

    /** The data type of a slot's value: double, or float or integer held exactly as a double. */
    DataType slotType(int slot);

    /** Whether {@code name} is a categorical field whose category index {@link #categoricalIndex} gives. */
    boolean isCategorical(String name);

    /** The category index of a field {@link #isCategorical} accepts. */
    int categoricalIndex(String name);

    /** The index of a predicate's or predictor's value among the values of categorical field {@code index}. */
    int categoryOf(int index, Object pmmlValue);

    /** Whether {@code name} is an active categorical input (whose valid values {@link #categorical} lists). */
    boolean isCategoricalInput(String name);

    /** The index of a categorical input; throws {@link NotEligible} for any other field. */
    int categoricalInput(String name);

    /** The categorical input at {@code index}. */
    Input.Categorical categorical(int index);
}
