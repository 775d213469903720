package dev.pronto.inference.pmml.compiled;

import static dev.pronto.inference.pmml.compiled.NotEligible.require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dmg.pmml.DataType;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Output;
import org.dmg.pmml.ResultFeature;
import org.jpmml.evaluator.ModelEvaluator;
import org.jpmml.evaluator.OutputField;
import org.jpmml.evaluator.TargetField;

/**
 * One field of {@code Prediction.fields()}, in order, and where a compiled scorer takes its value
 * from: the predicted value, the probability of one class, or 0.0 for a class the model does not
 * have ({@code OutputUtil.getProbability}). Shared by every compiled model type.
 *
 * @param index for a {@link Source#PROBABILITY} field, the index of its class among the scorer's classes
 */
record ResultField(String name, Source source, int index) {

    /** Where the value of one result field comes from. */
    enum Source { TARGET, PROBABILITY, ZERO }

    /**
     * The result fields of a model, named as the jpmml path reports them.
     *
     * @param classKeys the keys under which jpmml finds each class's probability (a table's
     *     {@code targetCategory}, a ScoreDistribution's value), in the scorer's class order
     */
    static List<ResultField> of(ModelEvaluator<?> evaluator, TargetField target, List<?> classKeys, List<String> resultNames) {
        Map<String, OutputField> outputs = new HashMap<>();
        for (OutputField output : evaluator.getOutputFields()) {
            outputs.put(output.getName(), output);
        }
        List<ResultField> fields = new ArrayList<>();
        for (String name : resultNames) {
            OutputField output = outputs.get(name);
            if (output == null) {
                require(name.equals(target.getName()), "result field \"" + name + "\" is neither target nor output");
                fields.add(new ResultField(name, Source.TARGET, -1));
            } else if (output.getField().getResultFeature() == ResultFeature.PREDICTED_VALUE) {
                fields.add(new ResultField(name, Source.TARGET, -1));
            } else {
                // OutputUtil.getProbability: ValueMap.get(value); a category the model does not have gives 0.0
                Object value = output.getField().requireValue();
                ResultField field = new ResultField(name, Source.ZERO, -1);
                for (int c = 0; c < classKeys.size(); c++) {
                    if (Objects.equals(value, classKeys.get(c))) {
                        field = new ResultField(name, Source.PROBABILITY, c);
                    }
                }
                fields.add(field);
            }
        }
        return fields;
    }

    /**
     * Checks every output field, final or not, and tells whether the model's classification is a
     * probability distribution ({@code ModelEvaluator.createClassification}): only {@code probability}
     * (with a value) and {@code predictedValue} of the one target are mirrored.
     */
    static boolean checkOutput(Output output, TargetField target, MiningFunction function) {
        boolean probabilities = false;
        if (output == null || !output.hasOutputFields()) {
            return false;
        }
        for (org.dmg.pmml.OutputField field : output.getOutputFields()) {
            String name = field.requireName();
            require(field.getSegmentId() == null && field.getExpression() == null,
                    "output field \"" + name + "\" has a segment or an expression");
            require(field.getTargetField() == null || field.getTargetField().equals(target.getName()),
                    "output field \"" + name + "\" names another target");
            ResultFeature feature = field.getResultFeature();
            if (feature == ResultFeature.PROBABILITY) {
                require(function == MiningFunction.CLASSIFICATION && field.getValue() != null,
                        "output field \"" + name + "\" is a probability without a value");
                require(field.getDataType() == null || field.getDataType() == DataType.DOUBLE,
                        "output field \"" + name + "\" is not a double");
                probabilities = true;
            } else if (feature == ResultFeature.PREDICTED_VALUE) {
                require(field.getDataType() == null || field.getDataType() == target.getDataType(),
                        "output field \"" + name + "\" changes the predicted value's type");
            } else {
                throw new NotEligible("output field \"" + name + "\" has feature " + feature.value());
            }
        }
        return probabilities;
    }
}
