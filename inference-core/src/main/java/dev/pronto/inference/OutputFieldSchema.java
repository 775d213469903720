package dev.pronto.inference;

import java.util.Objects;

/**
 * One output field a model computes besides its targets, such as a class probability, a cluster
 * affinity or a neighbour id.
 *
 * @param name the field name
 * @param dataType the data type in lower case, or {@code unknown} if the model leaves it to the evaluator
 * @param opType the operational type in lower case, or {@code unknown}
 * @param feature what the field reports, as PMML names it, e.g. {@code probability}, {@code predictedValue}, {@code entityId}
 */
public record OutputFieldSchema(String name, String dataType, String opType, String feature) {

    /** Rejects nulls. */
    public OutputFieldSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(opType, "opType");
        Objects.requireNonNull(feature, "feature");
    }
}
