package dev.pronto.inference.pmml.compiled;

import java.util.ArrayList;
import java.util.List;

import org.dmg.pmml.DataType;
import org.jpmml.evaluator.EvaluationContext;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.FieldValueUtil;
import org.jpmml.evaluator.TypeUtil;

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
 * scorer holds a {@link #frozen} copy, which is immutable and thread-safe.
 */
final class EvaluatedField {

    private final String name;
    private final DataType dataType;
    /** A categorical field's values its predicates compare with (parsed to its type), in order of first use; else null. */
    private final List<Object> categories;

    private EvaluatedField(String name, DataType dataType, List<Object> categories) {
        this.name = name;
        this.dataType = dataType;
        this.categories = categories;
    }

    /** A continuous double, float or integer field, read into a slot as a double (exact for each of these types). */
    static EvaluatedField numeric(String name, DataType dataType) {
        return new EvaluatedField(name, dataType, null);
    }

    /** A categorical field, read as the index of its value among the values its predicates name. */
    static EvaluatedField categorical(String name, DataType dataType) {
        return new EvaluatedField(name, dataType, new ArrayList<>());
    }

    /** This field with its category list fixed, for the scorer: compiling adds no category after this. */
    EvaluatedField frozen() {
        return categories == null ? this : new EvaluatedField(name, dataType, List.copyOf(categories));
    }

    String name() {
        return name;
    }

    DataType dataType() {
        return dataType;
    }

    /**
     * At compile time: the index of a predicate's value, parsed to the field's type as
     * {@code FieldValue.equals(HasValue)} parses it, added to the field's values if it is new.
     */
    int categoryIndex(Object pmmlValue) {
        Object value = TypeUtil.parseOrCast(dataType, pmmlValue);
        int index = categories.indexOf(value);
        if (index < 0) {
            categories.add(value);
            index = categories.size() - 1;
        }
        return index;
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
        int index = categories.indexOf(value.getValue());
        return index < 0 ? Input.Categorical.INVALID : index;
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
