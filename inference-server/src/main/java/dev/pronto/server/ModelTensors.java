package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.OutputFieldSchema;
import dev.pronto.inference.TargetFieldSchema;

/**
 * A model's schema seen as Open Inference Protocol tensors (the tabular mapping): one input tensor
 * per input field, and as outputs the predicted value, for a classifier a {@code [N, C]}
 * probability tensor whose class labels are in its {@code parameters}, then one tensor per output
 * field. The probability tensor is there when the model has classes and declares probability
 * outputs. Immutable; derived from the schema on every use, which costs a few allocations per request.
 *
 * @param inputs the input tensors in the model's field order
 * @param outputs the output tensors, in the order responses list them by default
 */
record ModelTensors(List<Tensor> inputs, List<Tensor> outputs) {

    /** The name of the probability tensor. */
    static final String PROBABILITIES = "probabilities";
    /** The name of the predicted value's tensor when the model leaves its target unnamed. */
    static final String PREDICTED = "predicted";

    /** What an output tensor reports. */
    enum Source { VALUE, PROBABILITIES, FIELD }

    /**
     * One tensor.
     *
     * @param name the tensor name: the field name, {@value #PROBABILITIES} or {@value #PREDICTED}
     * @param type the declared type; a response falls back to {@code BYTES} for values that do not fit it
     * @param source what it reports
     * @param classes the class labels of a probability tensor, in column order; empty otherwise
     */
    record Tensor(String name, TensorType type, Source source, List<Object> classes) {
    }

    static ModelTensors of(ModelSchema schema) {
        List<Tensor> inputs = new ArrayList<>();
        for (InputFieldSchema input : schema.inputs()) {
            inputs.add(new Tensor(input.name(), TensorType.forField(input.dataType()), Source.FIELD, List.of()));
        }
        List<Tensor> outputs = new ArrayList<>();
        // only a model that declares probabilities yields them (a nearest-neighbour classifier has classes, no probabilities)
        boolean probabilities = !schema.classes().isEmpty()
                && schema.outputs().stream().anyMatch(o -> o.feature().equals("probability"));
        String targetName = schema.primaryTarget().map(TargetFieldSchema::name).filter(n -> !n.isEmpty()).orElse(PREDICTED);
        if (probabilities && targetName.equals(PROBABILITIES)) {
            // a network whose one output is named "probabilities" (the label is derived from it): the [N, C]
            // tensor keeps that name, as on every other classifier, and the label takes the generic one
            targetName = PREDICTED;
        }
        String targetType = schema.primaryTarget().map(TargetFieldSchema::dataType).orElse("unknown");
        outputs.add(new Tensor(targetName, TensorType.forField(targetType), Source.VALUE, List.of()));
        if (probabilities) {
            outputs.add(new Tensor(PROBABILITIES, TensorType.FP64, Source.PROBABILITIES, schema.classes()));
        }
        for (OutputFieldSchema field : schema.outputs()) {
            if (!field.name().equals(targetName) && !field.name().equals(PROBABILITIES)) {
                outputs.add(new Tensor(field.name(), outputType(field, targetType), Source.FIELD, List.of()));
            }
        }
        return new ModelTensors(List.copyOf(inputs), List.copyOf(outputs));
    }

    /** An output field left "unknown" by the model gets its type from what it reports. */
    private static TensorType outputType(OutputFieldSchema field, String targetType) {
        if (!field.dataType().equals("unknown")) {
            return TensorType.forField(field.dataType());
        }
        return switch (field.feature()) {
            case "probability", "confidence", "affinity", "standardError", "residual" -> TensorType.FP64;
            case "predictedValue" -> TensorType.forField(targetType);
            default -> TensorType.BYTES;
        };
    }

    /** The output names, in order. */
    List<String> outputNames() {
        return outputs.stream().map(Tensor::name).toList();
    }
}
