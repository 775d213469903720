package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.common.collect.Range;
import com.google.common.collect.RangeMap;
import com.google.common.collect.TreeRangeMap;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Discretize;
import org.dmg.pmml.DiscretizeBin;
import org.jpmml.evaluator.DiscretizationUtil;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.TypeUtil;

/**
 * A categorical DerivedField that is a {@code Discretize} of a numeric field, computed from that
 * field's slot as jpmml computes it, so no jpmml context is needed per record.
 *
 * <p>Mirrors jpmml-evaluator 1.7.7: {@code ExpressionUtil.evaluateDiscretize} gives
 * {@code mapMissingTo} for a missing value; otherwise {@code DiscretizationUtil.discretize} looks the
 * value up in a Guava {@code TreeRangeMap} built by putting each bin's range
 * ({@code DiscretizationUtil.toRange}, which decides the closures) in document order, so a later bin
 * wins where bins overlap, and gives {@code defaultValue} where no range holds it. The ranges are
 * built here with the same calls and read back from the map, so bins, closures and overlaps are
 * jpmml's own; the value is then the bin value parsed to the field's type. A value that is absent
 * ({@code mapMissingTo} or {@code defaultValue} not given) is missing.
 *
 * <p>Why: scikit-learn's KBinsDiscretizer ({@code discretize(add_eps(Income))} in the Audit models)
 * depends on a continuous input, so it cannot be tabulated at load time like the categorical inputs'
 * fields, and evaluating it with jpmml per record cost a decision tree most of its time.
 *
 * <p>Not thread-safe while compiling (its category list grows); the {@link #frozen} copy the scorer
 * holds is immutable and thread-safe.
 */
record DiscretizedField(String name, DataType dataType, int slot, Input.Interval[] intervals, Object[] binValues,
        Object defaultValue, Object missingValue, List<Object> categories, int[] binIndexes, int defaultIndex,
        int missingIndex) implements CategoricalField {

    /**
     * @param slot the slot of the discretized numeric field
     * @param intervals the map's ranges, disjoint and in ascending order
     * @param binValues the value of each range, parsed to the field's type
     * @param categories the values the predicates name; grows while compiling
     */
    private static DiscretizedField of(String name, DataType dataType, int slot, Input.Interval[] intervals,
            Object[] binValues, Object defaultValue, Object missingValue, List<Object> categories) {
        // the category index of each bin, of the default value and of a missing value, against the current list
        int[] binIndexes = new int[binValues.length];
        for (int i = 0; i < binValues.length; i++) {
            binIndexes[i] = CategoricalField.indexOf(categories, binValues[i]);
        }
        return new DiscretizedField(name, dataType, slot, intervals, binValues, defaultValue, missingValue, categories,
                binIndexes, CategoricalField.indexOf(categories, defaultValue), CategoricalField.indexOf(categories, missingValue));
    }

    /**
     * The field, if its Discretize is mirrored: its data type is the DerivedField's (so the
     * DerivedField's cast changes nothing) and every bin has an interval.
     *
     * @param slot the slot of the field the Discretize reads, as {@code FieldCompiler.numericSlot} gives it
     */
    static DiscretizedField of(DerivedField field, Discretize discretize, int slot) {
        DataType dataType = field.requireDataType();
        require(discretize.getDataType(DataType.STRING) == dataType,
                "derived field \"" + field.requireName() + "\" casts its discretized value");
        RangeMap<Double, Object> bins = TreeRangeMap.create();
        for (DiscretizeBin bin : discretize.getDiscretizeBins()) {
            bins.put(DiscretizationUtil.toRange(bin.requireInterval()), bin.requireBinValue());
        }
        List<Input.Interval> intervals = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Map.Entry<Range<Double>, Object> entry : bins.asMapOfRanges().entrySet()) {
            intervals.add(Input.Interval.of(entry.getKey()));
            values.add(parse(dataType, entry.getValue()));
        }
        return of(field.requireName(), dataType, slot, intervals.toArray(new Input.Interval[0]),
                values.toArray(), parse(dataType, discretize.getDefaultValue()), parse(dataType, discretize.getMapMissingTo()),
                new ArrayList<>());
    }

    /** {@code FieldValueUtil.create}: a value parsed to the field's type; none stays none (missing). */
    private static Object parse(DataType dataType, Object value) {
        return value == null ? null : TypeUtil.parseOrCast(dataType, value);
    }

    @Override
    public DiscretizedField frozen(ModelEvaluator<?> evaluator, List<Input> inputs) {
        return of(name, dataType, slot, intervals, binValues, defaultValue, missingValue, List.copyOf(categories));
    }

    /** The category index of this record's value, from the discretized field's slot (NaN: missing). */
    int category(double[] slots) {
        double x = slots[slot];
        if (Double.isNaN(x)) {
            return missingIndex;
        }
        for (int i = 0; i < intervals.length; i++) {
            if (intervals[i].contains(x)) {
                return binIndexes[i];
            }
        }
        return defaultIndex;
    }
}
