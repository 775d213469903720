package dev.pronto.inference.pmml.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import org.dmg.pmml.DataType;
import org.dmg.pmml.InlineTable;
import org.dmg.pmml.Model;
import org.dmg.pmml.ModelVerification;
import org.dmg.pmml.OpType;
import org.dmg.pmml.VerificationField;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.InlineTableUtil;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.ModelEvaluator;

import dev.pronto.inference.Prediction;

/**
 * The load-time safety net of compiled scoring: scores generated records, and the model's own
 * ModelVerification rows, both compiled and with jpmml, and reports the first difference. A
 * compiled scorer is used only when there is none, so a mistake in mirroring jpmml (or a jpmml
 * upgrade that changes its arithmetic) turns compilation off instead of changing results.
 */
final class CrossCheck {

    /**
     * The outcome of a check.
     *
     * @param scorer the checked scorer
     * @param difference the first difference found, or {@code null} if there is none
     * @param compared how many records were scored by both paths
     * @param sample a record the compiled path scored, for warm-up; {@code null} if none
     */
    record Outcome(CompiledScorer scorer, String difference, int compared, Map<String, Object> sample) {
    }

    private CrossCheck() {
    }

    /**
     * Compares the two paths on the model's verification rows and {@code generated} random records.
     *
     * @param jpmml scores a record with jpmml, throwing for a record jpmml rejects
     */
    static Outcome run(Evaluator evaluator, Function<Map<String, ?>, Prediction> jpmml, CompiledScorer compiled,
            int generated, long seed) {
        List<Map<String, Object>> records = new ArrayList<>(verificationRecords(evaluator));
        Random random = new Random(seed);
        for (int i = 0; i < generated; i++) {
            records.add(randomRecord(evaluator.getInputFields(), random));
        }
        int compared = 0;
        Map<String, Object> sample = null;
        Function<Map<String, ?>, String> hidden = compiled instanceof HiddenValues values
                && evaluator instanceof ModelEvaluator<?> reference ? values.hiddenValuesCheck(reference) : null;
        for (Map<String, Object> record : records) {
            Prediction fast = compiled.predict(record);
            if (fast == null) {
                continue;
            }
            Prediction reference;
            try {
                reference = jpmml.apply(record);
            } catch (RuntimeException e) {
                return new Outcome(compiled, "compiled code scored " + record + " which jpmml rejects: " + e.getMessage(), compared, sample);
            }
            String difference = difference(fast, reference);
            if (difference == null && hidden != null) {
                difference = hidden.apply(record);
            }
            if (difference != null) {
                return new Outcome(compiled, "for " + record + ": " + difference, compared, sample);
            }
            compared++;
            if (sample == null) {
                sample = record;
            }
        }
        return new Outcome(compiled, null, compared, sample);
    }

    /**
     * Describes how two predictions differ, comparing exactly: values and their Java types, doubles
     * bit for bit ({@link Double#equals}), map orders, entity ids.
     *
     * @return {@code null} if they are the same
     */
    static String difference(Prediction actual, Prediction expected) {
        String value = differenceOf("value", actual.value(), expected.value());
        if (value != null) {
            return value;
        }
        String probabilities = differenceOf("probabilities", actual.probabilities(), expected.probabilities());
        if (probabilities != null) {
            return probabilities;
        }
        String fields = differenceOf("fields", actual.fields(), expected.fields());
        if (fields != null) {
            return fields;
        }
        return actual.entityIds().equals(expected.entityIds()) ? null
                : "entity ids " + actual.entityIds() + " instead of " + expected.entityIds();
    }

    private static String differenceOf(String what, Map<?, ?> actual, Map<?, ?> expected) {
        if (actual.size() != expected.size()) {
            return what + " " + actual + " instead of " + expected;
        }
        Iterator<? extends Map.Entry<?, ?>> a = actual.entrySet().iterator();
        Iterator<? extends Map.Entry<?, ?>> e = expected.entrySet().iterator();
        while (a.hasNext()) {
            Map.Entry<?, ?> left = a.next();
            Map.Entry<?, ?> right = e.next();
            String key = differenceOf(what + " key", left.getKey(), right.getKey());
            if (key != null) {
                return key;
            }
            String value = differenceOf(what + " \"" + left.getKey() + "\"", left.getValue(), right.getValue());
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String differenceOf(String what, Object actual, Object expected) {
        if (actual == null || expected == null) {
            return actual == expected ? null : what + " " + actual + " instead of " + expected;
        }
        // Double.equals compares the bits, so 0.0 and -0.0 (or two NaNs of different bits) differ
        if (actual.getClass() != expected.getClass() || !actual.equals(expected)) {
            return what + " " + actual + " (" + actual.getClass().getSimpleName() + ") instead of " + expected
                    + " (" + expected.getClass().getSimpleName() + ")";
        }
        return null;
    }

    /**
     * The model's ModelVerification inputs, keyed by input field; numbers of continuous fields are
     * parsed to {@link Double} so that the compiled path takes them (jpmml gets the same record).
     */
    private static List<Map<String, Object>> verificationRecords(Evaluator evaluator) {
        if (!(evaluator instanceof ModelEvaluator<?> modelEvaluator)) {
            return List.of();
        }
        Model model = modelEvaluator.getModel();
        ModelVerification verification = model.getModelVerification();
        if (verification == null || verification.getVerificationFields() == null || verification.getInlineTable() == null) {
            return List.of();
        }
        InlineTable table = verification.getInlineTable();
        com.google.common.collect.Table<Integer, String, Object> content = InlineTableUtil.getContent(table);
        Map<String, InputField> inputs = new HashMap<>();
        for (InputField input : evaluator.getInputFields()) {
            inputs.put(input.getName(), input);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Integer row : content.rowKeySet()) {
            Map<String, Object> record = new HashMap<>();
            for (VerificationField field : verification.getVerificationFields()) {
                InputField input = inputs.get(field.requireField());
                String column = Objects.requireNonNullElse(field.getColumn(), field.requireField());
                if (input == null || !content.contains(row, column)) {
                    continue;
                }
                Object cell = content.get(row, column);
                if (input.getOpType() == OpType.CONTINUOUS && cell != null) {
                    try {
                        cell = Double.parseDouble(cell.toString());
                    } catch (NumberFormatException e) {
                        // left as text: the compiled path hands it to jpmml
                    }
                }
                record.put(input.getName(), cell == null ? null : cell instanceof Number ? cell : cell.toString());
            }
            records.add(record);
        }
        return records;
    }

    /** A record of plausible values: inside a continuous field's intervals, among a categorical field's values. */
    static Map<String, Object> randomRecord(List<InputField> inputs, Random random) {
        Map<String, Object> record = new HashMap<>();
        for (InputField input : inputs) {
            Object value;
            if (input.getOpType() == OpType.CONTINUOUS) {
                value = randomNumber(input.getContinuousDomain(), random);
                if (input.getDataType() == DataType.INTEGER && value instanceof Double d) {
                    // an integer field's values are whole numbers (anything else is invalid for jpmml)
                    value = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(d)));
                }
            } else {
                List<?> valid = input.getDiscreteDomain();
                if ((valid == null || valid.isEmpty()) && input.getDataType() == DataType.BOOLEAN) {
                    // a boolean that lists no values (XGBoost's) takes either
                    value = random.nextBoolean();
                } else {
                    value = valid == null || valid.isEmpty() ? "x" + random.nextInt(5) : String.valueOf(valid.get(random.nextInt(valid.size())));
                }
            }
            record.put(input.getName(), value);
        }
        return record;
    }

    private static Object randomNumber(RangeSet<Double> domain, Random random) {
        double value;
        if (domain != null && !domain.isEmpty()) {
            List<Range<Double>> ranges = new ArrayList<>(domain.asRanges());
            Range<Double> range = ranges.get(random.nextInt(ranges.size()));
            double low = range.hasLowerBound() ? range.lowerEndpoint() : (range.hasUpperBound() ? range.upperEndpoint() - 100 : -100);
            double high = range.hasUpperBound() ? range.upperEndpoint() : low + 100;
            int pick = random.nextInt(20);
            // the endpoints themselves, where open and closed intervals differ
            value = pick == 0 ? low : pick == 1 ? high : low + random.nextDouble() * (high - low);
        } else {
            value = switch (random.nextInt(4)) {
                case 0 -> random.nextGaussian();
                case 1 -> random.nextGaussian() * 1000;
                case 2 -> random.nextDouble() * 10;
                default -> random.nextInt(41) - 20;
            };
        }
        // whole numbers also as the Integer and Long a JSON parser produces
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return random.nextBoolean() ? (Object) (int) value : (Object) (long) value;
        }
        return value;
    }
}
