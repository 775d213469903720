package dev.pronto.inference.pmml.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.dmg.pmml.regression.RegressionModel;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
import org.jpmml.evaluator.ModelEvaluator;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.Prediction;

/**
 * {@link LinearTable}'s order of operations against jpmml's {@code RegressionTableUtil.evaluate} on
 * a regression whose value is the raw table, so every bit shows: numeric predictors, then the
 * categorical ones, then the interaction terms ({@code c * x1 * x2}, left to right), then the
 * intercept. The other orders give other bits on some of the same records, so this test fails if the
 * order changes.
 */
class LinearTableTest {

    private static final double INTERCEPT = 0.1;
    private static final double A = 0.3;
    private static final double CATEGORY_B = -0.7;
    private static final double TERM = 1.3;

    @Test
    void sumsPredictorsThenCategoriesThenTermsThenTheInterceptAsJpmmlDoes() throws Exception {
        ModelEvaluator<?> evaluator = (ModelEvaluator<?>) new LoadingModelEvaluatorBuilder()
                .load(new ByteArrayInputStream(model().getBytes(StandardCharsets.UTF_8))).build();
        RegressionScorer scorer = RegressionCompiler.compile(evaluator, (RegressionModel) evaluator.getModel(), List.of("y"));
        Random random = new Random(3);
        int termBeforeCategory = 0;
        int interceptBeforeTerm = 0;
        int productOtherWay = 0;
        for (int i = 0; i < 2_000; i++) {
            double x1 = random.nextGaussian() * 10;
            double x2 = random.nextGaussian() * 10;
            String c = random.nextBoolean() ? "a" : "b";
            Map<String, Object> record = Map.of("x1", x1, "x2", x2, "c", c);
            Prediction compiled = scorer.predict(record);
            assertThat(compiled).isNotNull();
            assertThat(Double.doubleToRawLongBits((Double) compiled.value())).as("%s", record)
                    .isEqualTo(Double.doubleToRawLongBits(jpmml(evaluator, record)));
            double category = c.equals("b") ? CATEGORY_B : 0.0;
            double numeric = 0.0 + A * x1;
            double jpmmlOrder = numeric + category + TERM * x1 * x2 + INTERCEPT;
            if (c.equals("b") && Double.compare(numeric + TERM * x1 * x2 + category + INTERCEPT, jpmmlOrder) != 0) {
                termBeforeCategory++;
            }
            if (Double.compare(numeric + category + INTERCEPT + TERM * x1 * x2, jpmmlOrder) != 0) {
                interceptBeforeTerm++;
            }
            if (Double.compare(numeric + category + TERM * (x1 * x2) + INTERCEPT, jpmmlOrder) != 0) {
                productOtherWay++;
            }
        }
        assertThat(termBeforeCategory).isPositive();
        assertThat(interceptBeforeTerm).isPositive();
        assertThat(productOtherWay).isPositive();
    }

    private static double jpmml(ModelEvaluator<?> evaluator, Map<String, Object> record) {
        Map<String, FieldValue> arguments = new HashMap<>();
        for (InputField input : evaluator.getInputFields()) {
            arguments.put(input.getName(), input.prepare(record.get(input.getName())));
        }
        return (Double) evaluator.evaluate(arguments).get("y");
    }

    private static String model() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/>"
                + "<DataDictionary><DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"x1\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"x2\" optype=\"continuous\" dataType=\"double\"/>"
                + "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
                + "</DataDictionary><RegressionModel functionName=\"regression\"><MiningSchema>"
                + "<MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x1\"/><MiningField name=\"x2\"/><MiningField name=\"c\"/>"
                + "</MiningSchema><RegressionTable intercept=\"" + INTERCEPT + "\">"
                + "<NumericPredictor name=\"x1\" coefficient=\"" + A + "\"/>"
                + "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"" + CATEGORY_B + "\"/>"
                + "<PredictorTerm coefficient=\"" + TERM + "\"><FieldRef field=\"x1\"/><FieldRef field=\"x2\"/></PredictorTerm>"
                + "</RegressionTable></RegressionModel></PMML>";
    }
}
