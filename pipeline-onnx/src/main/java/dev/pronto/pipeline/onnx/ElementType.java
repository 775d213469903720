package dev.pronto.pipeline.onnx;

import java.util.Optional;

import ai.onnxruntime.OnnxJavaType;

/** The tensor element types Pronto converts record values to and model outputs from. */
enum ElementType {
    FLOAT("float", "continuous"),
    DOUBLE("double", "continuous"),
    INT64("integer", "continuous"),
    STRING("string", "categorical"),
    BOOL("boolean", "categorical");

    /** The name the model schema reports, as for PMML fields. */
    final String dataType;
    final String opType;

    ElementType(String dataType, String opType) {
        this.dataType = dataType;
        this.opType = opType;
    }

    /** The element type for ONNX Runtime's Java type; empty for a type the conventions do not take. */
    static Optional<ElementType> of(OnnxJavaType type) {
        return Optional.ofNullable(switch (type) {
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case INT64 -> INT64;
            case STRING -> STRING;
            case BOOL -> BOOL;
            default -> null;
        });
    }

    /** A class label as the public API gives integer labels: an {@link Integer} when it fits. */
    static Object label(long value) {
        if (value == (int) value) {
            return Integer.valueOf((int) value);
        }
        // not a conditional expression: it would unbox both branches and give a Long every time
        return Long.valueOf(value);
    }
}
