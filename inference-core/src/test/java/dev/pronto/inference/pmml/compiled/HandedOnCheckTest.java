package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.OutputField;
import org.jpmml.evaluator.TargetField;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * The load-time check of a stacking chain's hidden values ({@link HandedOnCheck}): the base
 * estimators' probabilities reach the result only through tree splits, so an altered coefficient of
 * theirs almost never changes a prediction, yet the check finds it on the check's own number of
 * generated records, against jpmml's evaluation of the original model.
 */
class HandedOnCheckTest {

    private static final String CASE = "sklearn-StackingEnsembleAudit";

    @Test
    void theCompiledBaseEstimatorsHandOnJpmmlsVeryProbabilities() throws Exception {
        ModelEvaluator<?> reference = evaluator(model());
        Function<Map<String, ?>, String> check = scorer(reference).hiddenValuesCheck(reference);
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> record = CrossCheck.randomRecord(reference.getInputFields(), random);
            assertThat(check.apply(record)).as("%s", record).isNull();
        }
    }

    @TestFactory
    Stream<DynamicTest> alteredBaseEstimatorsAreFoundOut() {
        return Stream.of(
                List.of("a PredictorTerm's coefficient", "coefficient=\"-3.2973681603865703\"", "coefficient=\"-3.29736816038657\""),
                List.of("a CategoricalPredictor on the discretized income", "value=\"1\" coefficient=\"0.08617835226896498\"",
                        "value=\"1\" coefficient=\"0.08617835226896\""),
                List.of("a CategoricalPredictor on the regrouped education", "coefficient=\"0.5692485978814971\"",
                        "coefficient=\"0.569248597881497\""),
                List.of("a squared NumericPredictor", "exponent=\"2\" coefficient=\"0.3150654250950433\"",
                        "exponent=\"2\" coefficient=\"0.315065425095043\""),
                List.of("a base estimator's intercept", "intercept=\"-5.098160155802942\"", "intercept=\"-5.09816015580294\""),
                List.of("a base estimator's link", "normalizationMethod=\"logit\">\n\t\t\t\t\t<MiningSchema>\n\t\t\t\t\t\t<MiningField name=\"Age\"/>",
                        "normalizationMethod=\"cauchit\">\n\t\t\t\t\t<MiningSchema>\n\t\t\t\t\t\t<MiningField name=\"Age\"/>"))
                .map(alteration -> DynamicTest.dynamicTest(alteration.get(0), () -> {
                    String original = new String(model(), StandardCharsets.UTF_8);
                    assertThat(original).contains(alteration.get(1));
                    ModelEvaluator<?> reference = evaluator(model());
                    ModelEvaluator<?> altered = evaluator(original.replace(alteration.get(1), alteration.get(2))
                            .getBytes(StandardCharsets.UTF_8));
                    Function<Map<String, ?>, String> check = scorer(altered).hiddenValuesCheck(reference);
                    Random random = new Random(1);
                    List<String> found = new ArrayList<>();
                    for (int i = 0; i < ModelCompiler.CHECK_RECORDS && found.isEmpty(); i++) {
                        String difference = check.apply(CrossCheck.randomRecord(reference.getInputFields(), random));
                        if (difference != null) {
                            found.add(difference);
                        }
                    }
                    assertThat(found).singleElement().asString().startsWith("base estimator ").contains(" hands on ");
                }));
    }

    private static StackingScorer scorer(ModelEvaluator<?> evaluator) {
        List<String> resultNames = new ArrayList<>();
        for (TargetField target : evaluator.getTargetFields()) {
            resultNames.add(target.getName());
        }
        for (OutputField output : evaluator.getOutputFields()) {
            resultNames.add(output.getName());
        }
        return (StackingScorer) TreeEnsembleCompiler.compile(evaluator, evaluator.getModel(), resultNames);
    }

    private static ModelEvaluator<?> evaluator(byte[] model) throws Exception {
        return (ModelEvaluator<?>) new LoadingModelEvaluatorBuilder().load(new ByteArrayInputStream(model)).build();
    }

    private static byte[] model() {
        return ConformanceCorpus.cases().stream().filter(c -> c.name().equals(CASE)).findFirst().orElseThrow().model();
    }
}
