package dev.pronto.inference.pmml.compiled;

import java.util.Map;

import dev.pronto.inference.Prediction;

/**
 * What every compiled scorer does with a record: reads its fields into slots
 * ({@link CompiledFields#read}), leaves room after them for the scorer's own values (a chain's
 * members, a link's tables), scores from the slots, and declines the record (returns {@code null})
 * when any step throws {@link NotCompiled}. A subclass says only how it scores from the slots.
 *
 * <p>Immutable and thread-safe, as every subclass must be.
 */
abstract class SlotScorer implements CompiledScorer {

    private final CompiledFields fields;
    private final int ownSlots;
    private final String modelType;

    /**
     * @param ownSlots how many slots the scorer uses after the fields' slots
     * @param modelType what the load log line calls the model
     */
    SlotScorer(CompiledFields fields, int ownSlots, String modelType) {
        this.fields = fields;
        this.ownSlots = ownSlots;
        this.modelType = modelType;
    }

    @Override
    public final String modelType() {
        return modelType;
    }

    @Override
    public final Prediction predict(Map<String, ?> record) {
        try {
            int base = fields.slotCount();
            double[] slots = new double[base + ownSlots];
            int[] categories = fields.read(record, slots);
            return score(slots, categories, base);
        } catch (NotCompiled e) {
            return null;
        }
    }

    /**
     * Scores a record whose fields fill {@code slots} up to {@code base}; the scorer's own slots
     * follow. Throws {@link NotCompiled} for a record jpmml must score.
     */
    abstract Prediction score(double[] slots, int[] categories, int base);
}
