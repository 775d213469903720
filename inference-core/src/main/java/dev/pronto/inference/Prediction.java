package dev.pronto.inference;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a model for one record, as plain Java values.
 *
 * <p>Immutable: the constructor copies the maps (keeping their order) and the list; the maps allow
 * {@code null} values for results the model left missing. Pipelines build predictions with
 * {@link #builder(int, int)}, which avoids the copies.
 *
 * @param value the predicted value of the primary target: a class label for classification (of the
 *     label's data type, so an integer label is an {@link Integer}), a number for regression, a
 *     cluster id for clustering; {@code null} if the model predicts nothing for this record
 * @param probabilities class probabilities keyed by class label, in the model's class order; empty
 *     unless the model yields probabilities
 * @param fields every named target and output field, decoded, in the model's order
 * @param entityIds ids of the model entities that decided the prediction, such as the leaf node of a
 *     decision tree, or one leaf per tree of an ensemble in segment order; empty where the model has none
 */
public record Prediction(Object value, Map<Object, Double> probabilities, Map<String, Object> fields,
        List<String> entityIds) {

    /** Copies the maps, keeping their order, and rejects nulls (except the value). */
    public Prediction {
        probabilities = FrozenOrderedMap.copyOf(probabilities, "probabilities");
        fields = FrozenOrderedMap.copyOf(fields, "fields");
        // a deferred list is immutable already; copying it would compute what may never be read
        entityIds = entityIds instanceof DeferredList ? entityIds : List.copyOf(Objects.requireNonNull(entityIds, "entityIds"));
    }

    /**
     * Starts a prediction with room for the given numbers of class probabilities and fields.
     * The capacities are exact sizes in the common case and grow if exceeded.
     */
    public static Builder builder(int probabilityCount, int fieldCount) {
        return new Builder(probabilityCount, fieldCount);
    }

    /**
     * Assembles one {@link Prediction} without intermediate maps. Not thread-safe, and single use:
     * {@link #build()} hands its arrays to the prediction.
     */
    public static final class Builder {
        private Object value;
        private Object[] classes;
        private Object[] probabilities;
        private int probabilityCount;
        private Object[] fieldNames;
        private Object[] fieldValues;
        private int fieldCount;
        private static final Object[] NONE = {};

        private List<String> entityIds = List.of();
        private Map<String, Object> derivedFields;
        private Map<Object, Double> probabilityRow;

        private Builder(int probabilityCapacity, int fieldCapacity) {
            // a capacity of 0 allocates nothing: batch pipelines set views instead of adding entries
            classes = probabilityCapacity == 0 ? NONE : new Object[probabilityCapacity];
            probabilities = probabilityCapacity == 0 ? NONE : new Object[probabilityCapacity];
            fieldNames = fieldCapacity == 0 ? NONE : new Object[fieldCapacity];
            fieldValues = fieldCapacity == 0 ? NONE : new Object[fieldCapacity];
        }

        /** Sets the predicted value of the primary target; may be {@code null}. */
        public Builder value(Object value) {
            this.value = value;
            return this;
        }

        /** Adds the probability of the next class, in the model's class order. */
        public Builder probability(Object label, double probability) {
            if (probabilityCount == classes.length) {
                classes = java.util.Arrays.copyOf(classes, Math.max(4, probabilityCount * 2));
                probabilities = java.util.Arrays.copyOf(probabilities, classes.length);
            }
            classes[probabilityCount] = Objects.requireNonNull(label, "label");
            probabilities[probabilityCount++] = probability;
            return this;
        }

        /**
         * Makes the probabilities a read-only view of one row of a batch's probability matrix, instead
         * of adding them one by one: for a pipeline that scores a batch at once and gets the
         * probabilities of all its records as one row-major matrix. The predictions of the batch
         * share the matrix and the class list; each read of a probability boxes it. Replaces
         * probabilities added with {@link #probability}.
         *
         * @param classes the class labels in column order, none {@code null}; an immutable list the
         *     pipeline may share between predictions
         * @param matrix the probabilities, {@code classes.size()} per row; the caller must never write
         *     to it afterwards, as predictions read it for as long as they live, on any thread
         * @param row this record's row
         * @throws IndexOutOfBoundsException if the matrix has no such row
         */
        public Builder probabilities(List<Object> classes, double[] matrix, int row) {
            int offset = row * classes.size();
            Objects.checkFromIndexSize(offset, classes.size(), matrix.length);
            this.probabilityRow = new ProbabilityRow(List.copyOf(classes), matrix, offset);
            return this;
        }

        /** Adds the next result field; the value may be {@code null}. */
        public Builder field(String name, Object value) {
            if (fieldCount == fieldNames.length) {
                fieldNames = java.util.Arrays.copyOf(fieldNames, Math.max(4, fieldCount * 2));
                fieldValues = java.util.Arrays.copyOf(fieldValues, fieldNames.length);
            }
            fieldNames[fieldCount] = Objects.requireNonNull(name, "name");
            fieldValues[fieldCount++] = value;
            return this;
        }

        /**
         * Makes the fields a view that derives each value from its name when read, instead of adding
         * them one by one: for a pipeline whose result fields are the same for every record and
         * cheap to decode on demand. Replaces fields added with {@link #field}.
         *
         * @param names the field names in order; an immutable list the pipeline may share between predictions
         * @param values gives a field's value from its name; must be pure and thread-safe, as it may be
         *     called on any thread, more than once, for as long as the prediction lives
         */
        public Builder fields(List<String> names, java.util.function.Function<String, Object> values) {
            this.derivedFields = new DerivedOrderedMap<>(List.copyOf(names), Objects.requireNonNull(values, "values"));
            return this;
        }

        /** Sets the ids of the deciding entities. */
        public Builder entityIds(List<String> ids) {
            this.entityIds = List.copyOf(ids);
            return this;
        }

        /**
         * Sets the ids of the deciding entities as computed when first read, for a pipeline whose ids
         * cost time to collect and are rarely asked for.
         *
         * @param ids gives the ids; must be pure and thread-safe, as it may be called on any thread,
         *     more than once, for as long as the prediction lives
         */
        public Builder entityIds(java.util.function.Supplier<List<String>> ids) {
            this.entityIds = new DeferredList(ids);
            return this;
        }

        /** Builds the prediction; the builder must not be used afterwards. */
        public Prediction build() {
            Prediction prediction = new Prediction(value,
                    probabilityRow != null ? probabilityRow : new FrozenOrderedMap<>(classes, probabilities, probabilityCount),
                    derivedFields != null ? derivedFields : new FrozenOrderedMap<>(fieldNames, fieldValues, fieldCount),
                    entityIds);
            classes = null;
            fieldNames = null;
            return prediction;
        }
    }
}
