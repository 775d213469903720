package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.pronto.inference.InferenceException;
import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.ValueRange;
import dev.pronto.inference.pmml.compiled.Compilation;
import dev.pronto.inference.pmml.compiled.ModelCompiler;
import dev.pronto.inference.spi.ModelSource;

/**
 * What the tests of compiled scoring share: loading a model compiled or not, comparing predictions
 * exactly (values, Java types, bits, orders, entity ids), and random records typed as the JSON parser
 * delivers them.
 */
final class CompiledPaths {

    static final int RANDOM_RECORDS = 5_000;

    private CompiledPaths() {
    }

    static void assertSameOnRandomRecords(byte[] model, long seed) {
        assertSameOnRandomRecords(model, seed, 0.0);
    }

    /**
     * Scores {@value #RANDOM_RECORDS} random records both ways and asserts the same outcome: the same
     * prediction, bit for bit, where the compiled path takes the record, and the same prediction or
     * error from the pipeline where it declines it.
     *
     * @param oddShare the share of fields given a missing value, an unknown category or a value
     *     outside the field's intervals (records the compiled path must leave to jpmml)
     */
    static void assertSameOnRandomRecords(byte[] model, long seed, double oddShare) {
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        assertThat(compiled.isCompiled()).as("compiled: %s", compiled.scoringNote()).isTrue();
        Random random = new Random(seed);
        int taken = 0;
        for (int i = 0; i < RANDOM_RECORDS; i++) {
            Map<String, Object> record = random(compiled, random, oddShare);
            Prediction fast = compiled.compiled().predict(record);
            if (fast != null) {
                taken++;
                assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
            } else {
                assertThat(outcome(compiled, record)).as("%s", record).isEqualTo(outcome(jpmml, record));
            }
        }
        // the generator stays inside the fields' domains but for the odd values: most records are scored compiled
        assertThat(taken).isGreaterThan(oddShare == 0.0 ? RANDOM_RECORDS * 9 / 10 : RANDOM_RECORDS / 10);
    }


    /**
     * A PMML document of the synthetic test models: the target field given, inputs x1 (a double in
     * [-5, 5)), x2 (any double) and c (a category among a, b, c), and the model.
     */
    static byte[] syntheticPmml(String targetField, String model) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>" + targetField
                + "<DataField name=\"x1\" optype=\"continuous\" dataType=\"double\"><Interval closure=\"closedOpen\" leftMargin=\"-5\" rightMargin=\"5\"/></DataField>"
                + "<DataField name=\"x2\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/>"
                + "<Value value=\"c\"/></DataField>"
                + "</DataDictionary>" + model + "</PMML>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Compiles the model with {@code from} replaced by {@code to} and checks it against jpmml on the
     * original: the load-time check must find the difference and leave the model on jpmml, as it
     * would for a compiled scorer that got that detail wrong.
     */
    static void assertAlterationIsCaught(byte[] model, String from, String to) {
        String text = new String(model, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        byte[] altered = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        PmmlPipeline reference = load(model, false);
        PmmlPipeline other = load(altered, true);
        assertThat(other.isCompiled()).as(other.scoringNote()).isTrue();
        Compilation compilation = ModelCompiler.compile(evaluatorOf(other), other.resultNames(),
                reference::predictWithJpmml, 2_000, 1);
        assertThat(compilation.scorer()).isEmpty();
        assertThat(compilation.note()).startsWith("scored by jpmml (its compiled scorer differs from jpmml for ");
    }

    /**
     * A record inside each field's intervals (or anywhere, mostly of moderate size), typed as a JSON
     * parser would; with probability {@code oddShare} per field, a missing value (absent or null), an
     * unknown category or a number outside the field's intervals instead.
     */
    static Map<String, Object> random(PmmlPipeline pipeline, Random random, double oddShare) {
        Map<String, Object> record = new HashMap<>();
        for (InputFieldSchema input : pipeline.schema().inputs()) {
            if (random.nextDouble() < oddShare) {
                switch (random.nextInt(3)) {
                    case 0 -> record.put(input.name(), null);
                    case 1 -> record.put(input.name(), input.validValues().isEmpty() ? 1.0e6 : "no such category");
                    default -> { }
                }
                continue;
            }
            if (!input.validValues().isEmpty()) {
                record.put(input.name(), String.valueOf(input.validValues().get(random.nextInt(input.validValues().size()))));
                continue;
            }
            double value;
            if (!input.validRanges().isEmpty()) {
                ValueRange range = input.validRanges().get(random.nextInt(input.validRanges().size()));
                double low = range.lower() == null ? -50 : range.lower();
                double high = range.upper() == null ? low + 100 : range.upper();
                value = random.nextInt(10) == 0 ? (random.nextBoolean() ? low : high) : low + random.nextDouble() * (high - low);
            } else {
                value = switch (random.nextInt(3)) {
                    case 0 -> random.nextGaussian() * 3;
                    case 1 -> random.nextDouble() * 20;
                    default -> (double) (random.nextInt(21) - 10);
                };
            }
            if (input.dataType().equals("integer")) {
                record.put(input.name(), integer(Math.rint(value), random));
                continue;
            }
            boolean whole = value == Math.rint(value);
            record.put(input.name(), whole && random.nextBoolean() ? (Object) (int) value : (Object) value);
        }
        return record;
    }


    /**
     * A whole number for a continuous integer field, typed as a client might send it: an Integer, a
     * Long, a Double, or text ("37", "37.0"); now and then a value jpmml converts by rules the compiled
     * path leaves to it, or rejects ("37.5", "+37", 37.5, a Long beyond int range).
     */
    private static Object integer(double value, Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> (int) value;
            case 3, 4 -> (long) value;
            case 5, 6 -> value;
            case 7 -> String.valueOf((int) value);
            case 8 -> (int) value + ".0";
            case 9 -> value + 0.5;
            case 10 -> random.nextBoolean() ? (int) value + ".5" : "+" + (int) value;
            default -> random.nextBoolean() ? (Object) ((long) value + (1L << 40)) : (Object) (float) value;
        };
    }

    /** A corpus row with the numbers of continuous fields as doubles, as the JSON parser delivers them. */
    static Map<String, Object> typed(Map<String, Object> row, PmmlPipeline pipeline) {
        Map<String, Object> record = new LinkedHashMap<>(row);
        for (InputFieldSchema input : pipeline.schema().inputs()) {
            if (input.opType().equals("continuous") && record.get(input.name()) instanceof String text) {
                record.put(input.name(), Double.parseDouble(text));
            }
        }
        return record;
    }


    /** A prediction as a list that is equal only for the same values, Java types, bits and orders. */
    static List<Object> exact(Prediction prediction) {
        List<Object> parts = new ArrayList<>();
        parts.add(exact(prediction.value()));
        prediction.probabilities().forEach((label, p) -> parts.add(List.of("p", exact(label), exact(p))));
        prediction.fields().forEach((name, value) -> parts.add(List.of("f", name, exact(value))));
        parts.add(prediction.entityIds());
        return parts;
    }


    static Object exact(Object value) {
        if (value instanceof Double d) {
            return "Double:" + Double.doubleToRawLongBits(d);
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }


    static Object outcome(PmmlPipeline pipeline, Map<String, Object> record) {
        try {
            return exact(pipeline.predict(record));
        } catch (InferenceException e) {
            return "error " + e.category() + " " + e.getMessage();
        }
    }


    static PmmlPipeline load(byte[] model, boolean compile) {
        return (PmmlPipeline) new PmmlPipelineProvider()
                .create(Map.of("warmup-evaluations", "0", "compile", String.valueOf(compile)))
                .load(new ModelSource(ModelLocation.parse("test.pmml"), model, "v1"));
    }


    static org.jpmml.evaluator.Evaluator evaluatorOf(PmmlPipeline pipeline) {
        try {
            java.lang.reflect.Field field = PmmlPipeline.class.getDeclaredField("evaluator");
            field.setAccessible(true);
            return (org.jpmml.evaluator.Evaluator) field.get(pipeline);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
