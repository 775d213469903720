package dev.pronto.inference.pmml.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.ModelEvaluatorBuilder;

/**
 * jpmml's own value of each probability a stacking chain's base estimators hand on, for the load-time
 * check of {@link StackingScorer} ({@link HiddenValues}). jpmml's result does not report them, so for
 * base estimator {@code m} jpmml evaluates the same chain cut after segment {@code m}: the same
 * document, fields and segment objects, whose result then reports that estimator's output fields,
 * the handed-on one among them.
 *
 * <p>Load time only, not thread-safe: one instance serves one check and is dropped with it.
 */
final class HandedOnCheck {

    private final List<Evaluator> truncated = new ArrayList<>();
    private final List<String> outputs;

    /**
     * @param evaluator jpmml's evaluator of the stacking chain
     * @param outputs for each base estimator, the name of the output field it hands on
     */
    HandedOnCheck(ModelEvaluator<?> evaluator, List<String> outputs) {
        this.outputs = List.copyOf(outputs);
        MiningModel chain = (MiningModel) evaluator.getModel();
        List<Segment> segments = chain.requireSegmentation().requireSegments();
        for (int m = 0; m < outputs.size(); m++) {
            MiningModel cut = new MiningModel(chain.requireMiningFunction(), chain.requireMiningSchema())
                    .setMathContext(chain.getMathContext())
                    .setLocalTransformations(chain.getLocalTransformations())
                    .setSegmentation(new Segmentation(Segmentation.MultipleModelMethod.MODEL_CHAIN,
                            new ArrayList<>(segments.subList(0, m + 1))));
            truncated.add(new ModelEvaluatorBuilder(evaluator.getPMML(), cut).build());
        }
    }

    /** How {@code compiled} (each base estimator's handed-on probability) differs from jpmml's, or {@code null}. */
    String difference(Map<String, ?> record, double[] compiled) {
        for (int m = 0; m < truncated.size(); m++) {
            Evaluator evaluator = truncated.get(m);
            Object expected;
            try {
                Map<String, FieldValue> arguments = new HashMap<>();
                for (InputField input : evaluator.getInputFields()) {
                    arguments.put(input.getName(), input.prepare(record.get(input.getName())));
                }
                expected = evaluator.evaluate(arguments).get(outputs.get(m));
            } catch (RuntimeException e) {
                return "base estimator " + (m + 1) + " is scored compiled where jpmml fails: " + e.getMessage();
            }
            Double actual = compiled[m];
            if (!actual.equals(expected)) {
                return "base estimator " + (m + 1) + " hands on " + actual + " instead of " + expected;
            }
        }
        return null;
    }
}
