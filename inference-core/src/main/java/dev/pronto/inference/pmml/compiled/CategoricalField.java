package dev.pronto.inference.pmml.compiled;

import java.util.List;

import org.dmg.pmml.DataType;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TypeUtil;

/**
 * A categorical DerivedField the trees compare with {@code equal}/{@code notEqual}, read as the index
 * of its value among the values its predicates name ({@link Input.Categorical#MISSING} when missing,
 * {@link Input.Categorical#INVALID} for any other value): computed by compiled code
 * ({@link DiscretizedField}) or evaluated by jpmml ({@link EvaluatedField}).
 *
 * <p>While compiling, the list of named values grows; the scorer holds a {@link #frozen} copy, which
 * is immutable and thread-safe.
 */
sealed interface CategoricalField permits EvaluatedField, DiscretizedField {

    String name();

    DataType dataType();

    /** The values the field's predicates name, parsed to its type, in order of first use; grows while compiling. */
    List<Object> categories();

    /** This field with its category list fixed, ready for the scorer. */
    CategoricalField frozen(ModelEvaluator<?> evaluator, List<Input> inputs);

    /**
     * At compile time: the index of a predicate's value, parsed to the field's type as
     * {@code FieldValue.equals(HasValue)} parses it, added to the field's values if it is new.
     */
    default int categoryIndex(Object pmmlValue) {
        Object value = TypeUtil.parseOrCast(dataType(), pmmlValue);
        List<Object> categories = categories();
        int index = categories.indexOf(value);
        if (index < 0) {
            categories.add(value);
            index = categories.size() - 1;
        }
        return index;
    }

    /** The index of a value among {@code categories}: {@link Input.Categorical#MISSING} for null, {@link Input.Categorical#INVALID} if absent. */
    static int indexOf(List<Object> categories, Object value) {
        if (value == null) {
            return Input.Categorical.MISSING;
        }
        int index = categories.indexOf(value);
        return index < 0 ? Input.Categorical.INVALID : index;
    }
}
