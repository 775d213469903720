package dev.pronto.inference.pmml.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dmg.pmml.DataType;
import org.jpmml.evaluator.EvaluationContext;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.FieldValueUtil;
import org.jpmml.evaluator.ModelEvaluationContext;
import org.jpmml.evaluator.ModelEvaluator;

/**
 * A DerivedField whose expression the compiled code does not mirror (string functions, table
 * lookups, dates, conditionals), evaluated once per record by jpmml's own code: the record's
 * {@code ModelEvaluationContext} resolves it exactly as jpmml's tree evaluation resolves it
 * (inputs prepared by {@code InputFieldUtil}, the expression by {@code ExpressionUtil}, the result
 * cast to the field's type), so its value is jpmml's by construction. The compiled trees then read
 * it from a slot (a continuous double, float or integer field) or as a category index (a
 * categorical field compared with {@code equal}/{@code notEqual}: {@code FieldValue.equalsValue}
 * parses the predicate's value to the field's type and compares with {@code Objects.equals}, as
 * the category index does).
 *
 * <p>Why: scikit-learn's Audit and Auto pipelines put regular expressions, {@code MapValues}
 * lookups and date arithmetic in front of their trees; evaluating those few fields with jpmml costs
 * little beside the interpreter's per-tree contexts, which the compiled trees remove.
 *
 * <p>A failure while evaluating (jpmml's error for an invalid value, say), and a present NaN (which
 * jpmml orders above every number, where a compiled predicate would take it for missing), leave the
 * record to jpmml. A categorical field's list of values grows while the trees are compiled; the
 * scorer holds a {@link #frozen} copy, which is immutable and thread-safe ({@link CategoricalField}).
 */
final class EvaluatedField implements CategoricalField {

    /** The most rows tabulated at load time; beyond this the field is evaluated per record. */
    private static final int MAX_ROWS = 4_096;

    private final String name;
    private final DataType dataType;
    /** A categorical field's values its predicates compare with (parsed to its type), in order of first use; else null. */
    private final List<Object> categories;
    /** The categorical inputs (indexes) the field depends on, when it depends on nothing else; else null. */
    private final int[] inputs;
    private final Table table;

    /**
     * The field's value for every combination of its categorical inputs' valid values (and missing),
     * computed by jpmml at load time: row {@code sum(index_i * stride_i)}, where a missing input's
     * index is its number of valid values. {@code numbers} for a numeric field (NaN: missing),
     * {@code indexes} for a categorical one; {@code declined} rows are left to jpmml.
     */
    private record Table(int[] sizes, double[] numbers, int[] indexes, boolean[] declined) {
    }

    private EvaluatedField(String name, DataType dataType, List<Object> categories, int[] inputs, Table table) {
        this.name = name;
        this.dataType = dataType;
        this.categories = categories;
        this.inputs = inputs;
        this.table = table;
    }

    private EvaluatedField(String name, DataType dataType, List<Object> categories) {
        this(name, dataType, categories, null, null);
    }

    /** A continuous double, float or integer field, read into a slot as a double (exact for each of these types). */
    static EvaluatedField numeric(String name, DataType dataType) {
        return new EvaluatedField(name, dataType, null);
    }

    /** A categorical field, read as the index of its value among the values its predicates name. */
    static EvaluatedField categorical(String name, DataType dataType) {
        return new EvaluatedField(name, dataType, new ArrayList<>());
    }

    /** This field depending only on these categorical inputs, so that {@link #frozen} can tabulate it. */
    EvaluatedField dependingOn(int[] categoricalInputs) {
        return new EvaluatedField(name, dataType, categories, categoricalInputs, null);
    }

    /**
     * This field with its category list fixed, for the scorer (compiling adds no category after
     * this) and, where it depends only on categorical inputs with few valid values, its values
     * tabulated by jpmml: each combination is given to a fresh {@code ModelEvaluationContext} as the
     * prepared values jpmml itself would hold (the valid value, or missing), so every row is jpmml's
     * result for any record that reaches it.
     */
    @Override
    public EvaluatedField frozen(ModelEvaluator<?> evaluator, List<Input> allInputs) {
        List<Object> fixed = categories == null ? null : List.copyOf(categories);
        if (inputs == null) {
            return new EvaluatedField(name, dataType, fixed);
        }
        int[] sizes = new int[inputs.length];
        long rows = 1;
        for (int i = 0; i < inputs.length; i++) {
            sizes[i] = ((Input.Categorical) allInputs.get(inputs[i])).validValues().size() + 1;
            rows *= sizes[i];
        }
        if (rows > MAX_ROWS) {
            return new EvaluatedField(name, dataType, fixed);
        }
        EvaluatedField unfixed = new EvaluatedField(name, dataType, fixed);
        double[] numbers = fixed == null ? new double[(int) rows] : null;
        int[] indexes = fixed == null ? null : new int[(int) rows];
        boolean[] declined = new boolean[(int) rows];
        for (int row = 0; row < rows; row++) {
            Map<String, Object> record = new HashMap<>();
            int rest = row;
            for (int i = 0; i < inputs.length; i++) {
                Input.Categorical input = (Input.Categorical) allInputs.get(inputs[i]);
                int index = rest % sizes[i];
                rest /= sizes[i];
                record.put(input.name(), index < input.validValues().size() ? input.validValues().get(index) : null);
            }
            ModelEvaluationContext context = new ModelEvaluationContext(evaluator);
            context.setArguments(record);
            try {
                if (numbers != null) {
                    numbers[row] = unfixed.number(context);
                } else {
                    indexes[row] = unfixed.category(context);
                }
            } catch (NotCompiled e) {
                declined[row] = true;
            }
        }
        return new EvaluatedField(name, dataType, fixed, inputs, new Table(sizes, numbers, indexes, declined));
    }

    /**
     * The table row of a record whose categorical inputs have these indexes, or -1 when the field is
     * not tabulated or an input holds an invalid value kept as it is (evaluate it per record then).
     */
    int row(int[] categoryIndexes) {
        if (table == null) {
            return -1;
        }
        int row = 0;
        int stride = 1;
        for (int i = 0; i < inputs.length; i++) {
            int index = categoryIndexes[inputs[i]];
            if (index == Input.Categorical.MISSING) {
                index = table.sizes()[i] - 1;
            } else if (index < 0) {
                return -1;
            }
            row += index * stride;
            stride *= table.sizes()[i];
        }
        return row;
    }

    /** A tabulated numeric value ({@link #number}'s, computed at load time). */
    double number(int row) {
        if (table.declined()[row]) {
            throw NotCompiled.INSTANCE;
        }
        return table.numbers()[row];
    }

    /** A tabulated category index ({@link #category}'s, computed at load time). */
    int category(int row) {
        if (table.declined()[row]) {
            throw NotCompiled.INSTANCE;
        }
        return table.indexes()[row];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public List<Object> categories() {
        return categories;
    }

    /** The field's value for this record, {@link Double#NaN} when jpmml finds it missing. */
    double number(EvaluationContext context) {
        FieldValue value = evaluate(context);
        if (FieldValueUtil.isMissing(value)) {
            return Double.NaN;
        }
        double x = value.asNumber().doubleValue();
        if (Double.isNaN(x)) {
            throw NotCompiled.INSTANCE;
        }
        return x;
    }

    /**
     * The index of the field's value among the values its predicates name;
     * {@link Input.Categorical#MISSING} when missing, {@link Input.Categorical#INVALID} (equal to none
     * of them) for any other value.
     */
    int category(EvaluationContext context) {
        FieldValue value = evaluate(context);
        if (FieldValueUtil.isMissing(value)) {
            return Input.Categorical.MISSING;
        }
        return CategoricalField.indexOf(categories, value.getValue());
    }

    private FieldValue evaluate(EvaluationContext context) {
        try {
            return context.evaluate(name);
        } catch (RuntimeException e) {
            // jpmml's own error (or result) for this record is the one to give
            throw NotCompiled.INSTANCE;
        }
    }
}
