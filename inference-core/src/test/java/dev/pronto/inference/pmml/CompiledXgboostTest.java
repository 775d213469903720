package dev.pronto.inference.pmml;

import static dev.pronto.inference.pmml.CompiledPaths.assertAlterationIsCaught;
import static dev.pronto.inference.pmml.CompiledPaths.exact;
import static dev.pronto.inference.pmml.CompiledPaths.load;
import static dev.pronto.inference.pmml.CompiledPaths.typed;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.Prediction;
import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * XGBoost's models ({@code x-mathContext="float"}) compiled in float arithmetic give jpmml's very
 * values, bit for bit and of the same Java types; the corpus rows and 5,000 random records per model
 * are compared in {@link CompiledTreesTest}. Here: what sets float apart (the same models computed in
 * double differ, so a scorer that summed in double could not pass), the inputs XGBoost declares
 * (continuous integers and floats, a boolean without listed values), and the load-time check
 * catching altered arithmetic details.
 */
class CompiledXgboostTest {

    private static final List<String> CASES = List.of("xgboost-BinomialClassificationAudit",
            "xgboost-MultinomialClassificationIris", "xgboost-LinearRegressionAuto", "xgboost-PoissonRegressionVisit");

    @Test
    void theFourXgboostModelsAreScoredCompiledInFloat() {
        for (String name : CASES) {
            assertThat(load(model(name), true).scoringNote()).as(name).startsWith("scored compiled (MiningModel ")
                    .contains(" in float");
        }
        assertThat(load(model("xgboost-BinomialClassificationAudit"), true).scoringNote()).startsWith(
                "scored compiled (MiningModel chain of 1 boosted ensembles of 71 trees in float and a RegressionModel (logit); ");
    }

    @TestFactory
    Stream<DynamicTest> doubleArithmeticWouldGiveOtherValuesOnCorpusRows() {
        // jpmml itself on the same model in double (a float target still rounds a regression's result to float):
        // its values differ from the float ones on many rows, so a
        // compiled scorer that summed, rescaled or linked in double would fail the exact comparisons
        return CASES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            ConformanceCorpus.Case c = corpusCase(name);
            PmmlPipeline compiled = load(c.model(), true);
            PmmlPipeline inDouble = load(new String(c.model(), StandardCharsets.UTF_8)
                    .replace("x-mathContext=\"float\"", "x-mathContext=\"double\"").getBytes(StandardCharsets.UTF_8), false);
            int rows = 0;
            int differing = 0;
            for (Map<String, Object> row : c.inputs()) {
                Map<String, Object> record = typed(row, compiled);
                Prediction fast = compiled.compiled().predict(record);
                if (fast == null) {
                    continue;
                }
                rows++;
                if (!numbers(fast).equals(numbers(inDouble.predict(record)))) {
                    differing++;
                }
            }
            assertThat(rows).isPositive();
            assertThat(differing).as("rows whose double values differ from the float ones, of %d", rows)
                    .isGreaterThan(rows / 10);
        }));
    }

    @Test
    void integerFloatAndBooleanInputsAreConvertedAsJpmmlConvertsThem() {
        byte[] audit = model("xgboost-BinomialClassificationAudit");
        Map<String, Object> record = new HashMap<>(Map.of("Age", 38, "Employment", "Private", "Education", "College",
                "Marital", "Unmarried", "Occupation", "Service", "Income", 81838.0, "Gender", "Female",
                "Deductions", false, "Hours", 72));
        assertCompiledAndSame(audit, record);
        // an integer as a Long or a whole Double, a float's input as an Integer or a double that no float holds
        record.put("Age", 38L);
        record.put("Hours", 72.0);
        record.put("Income", 81838);
        assertCompiledAndSame(audit, record);
        record.put("Income", 81838.123456789);
        record.put("Deductions", "TRUE");
        assertCompiledAndSame(audit, record);
        // -0.0 is the float 0.0 to jpmml (TypeUtil.toFloat), missing values follow the trees' strategies
        record.put("Income", -0.0);
        record.put("Age", null);
        record.remove("Hours");
        assertCompiledAndSame(audit, record);
        // jpmml's own business: a fraction for an integer, text for a float, NaN
        for (Object[] odd : new Object[][] {{"Age", 38.5}, {"Income", "81838"}, {"Income", Double.NaN}, {"Hours", "72.5"}}) {
            Map<String, Object> declined = new HashMap<>(record);
            declined.put((String) odd[0], odd[1]);
            assertThat(load(audit, true).compiled().predict(declined)).as("%s", declined).isNull();
        }
    }

    @TestFactory
    Stream<DynamicTest> loadTimeCheckCatchesAlteredFloatArithmetic() {
        // each alteration changes one detail the float code takes from the model by a small step (one float ulp
        // where the generated records see it, an operator at a threshold they reach); compiled from the altered model and checked against jpmml on
        // the original, it must be found out
        return Stream.of(
                List.of("xgboost-LinearRegressionAuto", "weight=\"0.53792363\"", "weight=\"0.5379237\""),
                List.of("xgboost-LinearRegressionAuto", "rescaleConstant=\"23.445919\"", "rescaleConstant=\"23.44592\""),
                List.of("xgboost-MultinomialClassificationIris", "score=\"-0.22004892\"", "score=\"-0.2200479\""),
                List.of("xgboost-MultinomialClassificationIris", "operator=\"lessThan\" value=\"3.0\"",
                        "operator=\"lessOrEqual\" value=\"3.0\""),
                List.of("xgboost-MultinomialClassificationIris", "weight=\"0.9090909\"", "weight=\"0.90909094\""),
                List.of("xgboost-BinomialClassificationAudit", "rescaleConstant=\"-1.1781386\"", "rescaleConstant=\"-1.1781385\""),
                List.of("xgboost-BinomialClassificationAudit", "coefficient=\"1.0\"", "coefficient=\"1.0000001\""),
                List.of("xgboost-PoissonRegressionVisit", "normalizationMethod=\"exp\"", "normalizationMethod=\"none\""))
                .map(alteration -> DynamicTest.dynamicTest(alteration.get(0) + ": " + alteration.get(1) + " -> " + alteration.get(2),
                        () -> assertAlterationIsCaught(model(alteration.get(0)), alteration.get(1), alteration.get(2))));
    }

    // ---------------------------------------------------------------------------------------------

    private static void assertCompiledAndSame(byte[] model, Map<String, Object> record) {
        Prediction fast = load(model, true).compiled().predict(record);
        assertThat(fast).as("compiled prediction of %s", record).isNotNull();
        assertThat(exact(fast)).as("%s", record).isEqualTo(exact(load(model, false).predict(record)));
    }

    /** The prediction's numbers as doubles, so a float and a double result compare by value only. */
    private static List<Double> numbers(Prediction prediction) {
        Stream<Object> values = Stream.concat(Stream.of(prediction.value()), prediction.probabilities().values().stream().map(p -> (Object) p));
        return values.filter(Number.class::isInstance).map(v -> ((Number) v).doubleValue()).toList();
    }

    private static byte[] model(String name) {
        return corpusCase(name).model();
    }

    private static ConformanceCorpus.Case corpusCase(String name) {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
