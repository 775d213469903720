package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.outcome;
import static dev.pronto.inference.pmml.CompiledPaths.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Compiled trees over what scikit-learn pipelines put in front of them: continuous integer inputs,
 * invalid values kept as they are ({@code invalidValueTreatment="asIs"}), DerivedFields the compiled
 * code does not mirror (evaluated per record by jpmml), and AdaBoost's weighted median. Each is
 * compared with jpmml on 5,000 random records with missing, non-integer and out-of-range values and
 * unknown categories.
 */
class CompiledTreeInputsTest {

    @Test
    void integerInputsInvalidValuesAndEvaluatedFieldsMatchJpmmlOnRandomRecords() {
        byte[] model = synthetic("weightedMedian");
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        assertThat(compiled.isCompiled()).as(compiled.scoringNote()).isTrue();
        Random random = new Random(17);
        int taken = 0;
        int invalidTaken = 0;
        for (int i = 0; i < CompiledPaths.RANDOM_RECORDS; i++) {
            Map<String, Object> record = record(random);
            Prediction fast = compiled.compiled().predict(record);
            if (fast != null) {
                taken++;
                if ("zzz".equals(record.get("s")) || record.get("x") instanceof Double x && Math.abs(x) > 5) {
                    invalidTaken++;
                }
                assertThat(exact(fast)).as("%s", record).isEqualTo(exact(jpmml.predict(record)));
            } else {
                assertThat(outcome(compiled, record)).as("%s", record).isEqualTo(outcome(jpmml, record));
            }
        }
        assertThat(taken).isGreaterThan(CompiledPaths.RANDOM_RECORDS / 3);
        // values outside the valid ones are kept as they are, and scored compiled
        assertThat(invalidTaken).isGreaterThan(100);
    }

    @Test
    void anAverageOfTheSameTreesMatchesJpmmlToo() {
        CompiledPaths.assertSameOnRandomRecords(synthetic("average"), 23, 0.05);
    }

    @Test
    void specificIntegerSpellingsAreScoredCompiledOrLeftToJpmml() {
        byte[] model = synthetic("weightedMedian");
        PmmlPipeline compiled = load(model, true);
        PmmlPipeline jpmml = load(model, false);
        for (Object n : new Object[] {37, 37L, 37.0, "37", "37.0", "-0"}) {
            Map<String, Object> record = new HashMap<>(Map.of("n", n, "s", "b", "x", 1.0));
            assertThat(compiled.compiled().predict(record)).as("%s is taken", n).isNotNull();
            assertThat(exact(compiled.predict(record))).as("%s", n).isEqualTo(exact(jpmml.predict(record)));
        }
        for (Object n : new Object[] {37.5, "37.5", "+37", 101, "abc", true}) {
            Map<String, Object> record = new HashMap<>(Map.of("n", n, "s", "b", "x", 1.0));
            assertThat(compiled.compiled().predict(record)).as("%s is left to jpmml", n).isNull();
            assertThat(outcome(compiled, record)).as("%s", n).isEqualTo(outcome(jpmml, record));
        }
    }

    @Test
    void loadTimeCheckCatchesAlteredWeightsAndThresholds() {
        byte[] model = synthetic("weightedMedian");
        // a segment's weight moves the weighted median; an integer threshold moves a split
        assertAlterationIsCaught(model, "weight=\"1.5\"", "weight=\"0.25\"");
        assertAlterationIsCaught(model, "field=\"n\" operator=\"lessOrEqual\" value=\"37\"",
                "field=\"n\" operator=\"lessOrEqual\" value=\"36\"");
    }

    @Test
    void adaBoostsWeightedMedianIsCompiledAndCaughtWhenAWeightChanges() {
        byte[] model = corpusCase("sklearn-AdaBoostHousing").model();
        assertThat(load(model, true).scoringNote()).startsWith("scored compiled (MiningModel of 17 trees;");
        // without its verification rows, which an altered model would fail at load before any cross-check
        byte[] unverified = new String(model, StandardCharsets.UTF_8)
                .replaceAll("(?s)<ModelVerification.*?</ModelVerification>", "").getBytes(StandardCharsets.UTF_8);
        assertAlterationIsCaught(unverified, "weight=\"2.5980026574667003\"", "weight=\"3.5980026574667003\"");
    }

    @Test
    void rowsWithUnknownCategoriesOfTheOneHotEncoderModelAreScoredCompiled() {
        ConformanceCorpus.Case c = corpusCase("sklearn-OneHotEncoderAuditNA");
        PmmlPipeline compiled = load(c.model(), true);
        int taken = 0;
        for (Map<String, Object> row : c.inputs()) {
            if (compiled.compiled().predict(typed(row, compiled)) != null) {
                taken++;
            }
        }
        // "Divorced", "Service", "SelfEmp"... are not among the fields' values: jpmml keeps them as they are
        assertThat(taken).as("rows scored compiled of %d", c.inputs().size()).isGreaterThan(c.inputs().size() * 95 / 100);
    }

    // ---------------------------------------------------------------------------------------------

    private static Map<String, Object> record(Random random) {
        Map<String, Object> record = new HashMap<>();
        int whole = random.nextInt(111) - 5;
        Object n = switch (random.nextInt(14)) {
            case 0, 1, 2 -> whole;
            case 3 -> (long) whole;
            case 4, 5 -> (double) whole;
            case 6 -> String.valueOf(whole);
            case 7 -> whole + ".0";
            case 8 -> whole + 0.5;
            case 9 -> whole + ".5";
            case 10 -> null;
            case 11 -> "+" + whole;
            case 12 -> (float) whole;
            default -> random.nextBoolean() ? "abc" : 1L << 40;
        };
        if (n != null || random.nextBoolean()) {
            record.put("n", n);
        }
        Object s = switch (random.nextInt(8)) {
            case 0, 1 -> "a";
            case 2, 3 -> "b";
            case 4 -> "c";
            case 5 -> "zzz";
            case 6 -> null;
            default -> 7;
        };
        record.put("s", s);
        Object x = switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> random.nextDouble() * 20 - 10;
            case 2 -> "1.5";
            default -> random.nextDouble() * 10 - 5;
        };
        record.put("x", x);
        return record;
    }

    /**
     * A regression of three trees combined by {@code method}: an integer input n in [0, 100]
     * (invalid values rejected), a string category s kept as it is when invalid, a double x in
     * [-5, 5] kept as it is when outside; DerivedFields d = n * 0.5 (compiled), u = concat(s, "!")
     * and k = if(n > 50, 1, 0) (an integer; both evaluated by jpmml).
     */
    private static byte[] synthetic(String method) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
                + "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"n\" optype=\"continuous\" dataType=\"integer\"><Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"100\"/></DataField>"
                + "<DataField name=\"s\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/><Value value=\"c\"/></DataField>"
                + "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"><Interval closure=\"closedClosed\" leftMargin=\"-5\" rightMargin=\"5\"/></DataField>"
                + "</DataDictionary>"
                + "<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
                + "<MiningField name=\"n\"/><MiningField name=\"s\" invalidValueTreatment=\"asIs\"/>"
                + "<MiningField name=\"x\" invalidValueTreatment=\"asIs\"/></MiningSchema>"
                + "<LocalTransformations>"
                + "<DerivedField name=\"d\" optype=\"continuous\" dataType=\"double\"><Apply function=\"*\"><FieldRef field=\"n\"/>"
                + "<Constant dataType=\"double\">0.5</Constant></Apply></DerivedField>"
                + "<DerivedField name=\"u\" optype=\"categorical\" dataType=\"string\"><Apply function=\"concat\"><FieldRef field=\"s\"/>"
                + "<Constant dataType=\"string\">!</Constant></Apply></DerivedField>"
                + "<DerivedField name=\"k\" optype=\"continuous\" dataType=\"integer\"><Apply function=\"if\">"
                + "<Apply function=\"greaterThan\"><FieldRef field=\"n\"/><Constant dataType=\"integer\">50</Constant></Apply>"
                + "<Constant dataType=\"integer\">1</Constant><Constant dataType=\"integer\">0</Constant></Apply></DerivedField>"
                + "</LocalTransformations>"
                + "<Segmentation multipleModelMethod=\"" + method + "\">"
                + segment(1, "2.0", node("<SimplePredicate field=\"n\" operator=\"lessOrEqual\" value=\"37\"/>", "1.5")
                        + node("<SimplePredicate field=\"d\" operator=\"greaterThan\" value=\"30.25\"/>", "2.5")
                        + node("<SimplePredicate field=\"u\" operator=\"equal\" value=\"b!\"/>", "3.5")
                        + node("<True/>", "4.5"))
                + segment(2, "1.0", node("<SimplePredicate field=\"x\" operator=\"lessOrEqual\" value=\"0.5\"/>", "-1")
                        + node("<SimplePredicate field=\"k\" operator=\"equal\" value=\"1\"/>", "7")
                        + node("<SimplePredicate field=\"s\" operator=\"notEqual\" value=\"a\"/>", "2")
                        + node("<True/>", "0.25"))
                + segment(3, "1.5", node("<SimplePredicate field=\"s\" operator=\"equal\" value=\"c\"/>", "10")
                        + node("<SimplePredicate field=\"n\" operator=\"greaterThan\" value=\"80\"/>", "-3")
                        + node("<SimplePredicate field=\"u\" operator=\"isMissing\"/>", "-8")
                        + node("<True/>", "5"))
                + "</Segmentation></MiningModel></PMML>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String segment(int id, String weight, String nodes) {
        return "<Segment id=\"" + id + "\" weight=\"" + weight + "\"><True/><TreeModel functionName=\"regression\">"
                + "<MiningSchema><MiningField name=\"n\"/><MiningField name=\"s\"/><MiningField name=\"x\"/>"
                + "<MiningField name=\"d\"/><MiningField name=\"u\"/><MiningField name=\"k\"/></MiningSchema>"
                + "<Node><True/>" + nodes + "</Node></TreeModel></Segment>";
    }

    private static String node(String predicate, String score) {
        return "<Node score=\"" + score + "\">" + predicate + "</Node>";
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
