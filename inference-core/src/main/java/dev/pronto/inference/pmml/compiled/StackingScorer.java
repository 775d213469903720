package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jpmml.evaluator.ModelEvaluator;

import dev.pronto.inference.Prediction;

/**
 * A stacking ensemble compiled by {@link StackingCompiler}: classification RegressionModels (the
 * base estimators) each hand one class's probability on, and a gradient-boosting chain over those
 * probabilities (the final estimator) gives the result, with jpmml's very values.
 *
 * <p>Why: jpmml evaluates such a chain as nested evaluators with a context per member and per tree;
 * the whole model is two tables of a few dozen multiply-adds, a hundred small trees and a logit.
 *
 * <p>Slots after the record's fields, in order: the handed-on probabilities (one per base
 * estimator), the boosting members' values, the boosting members' own DerivedFields
 * ({@link ChainScope}), the link's tables, then scratch for one base estimator's tables. The order of
 * evaluation is jpmml's: base estimators in segment order, then the nested chain's members, then its
 * link ({@link RegressionScorer}); the result is the link's, so it reports no leaf ids, as jpmml's
 * does not.
 *
 * <p>Immutable and thread-safe.
 */
final class StackingScorer extends SlotScorer implements HiddenValues {

    private final CompiledFields fields;
    /** The output field each base estimator hands on, for the load-time check ({@link HandedOnCheck}). */
    private final List<String> handedOutputs;
    private final ClassifierMember[] members;
    private final TreeSum[] boosted;
    private final Node[] derived;
    private final RegressionScorer link;
    /** The most tables of one base estimator: the scratch slots they share. */
    private final int memberTables;

    StackingScorer(CompiledFields fields, List<String> handedOutputs, List<ClassifierMember> members, List<TreeSum> boosted,
            List<Node> derived, RegressionScorer link, String modelType) {
        super(fields, members.size() + boosted.size() + derived.size() + link.tableCount() + memberTables(members), modelType);
        this.memberTables = memberTables(members);
        this.fields = fields;
        this.handedOutputs = List.copyOf(handedOutputs);
        this.members = members.toArray(new ClassifierMember[0]);
        this.boosted = boosted.toArray(new TreeSum[0]);
        this.derived = derived.toArray(new Node[0]);
        this.link = link;
    }

    private static int memberTables(List<ClassifierMember> members) {
        return members.stream().mapToInt(ClassifierMember::tableCount).max().orElse(0);
    }

    @Override
    Prediction score(double[] slots, int[] categories, int base) {
        int boostedBase = base + members.length;
        int derivedBase = boostedBase + boosted.length;
        int linkBase = derivedBase + derived.length;
        int scratch = linkBase + link.tableCount();
        handOn(slots, categories, slots, base, scratch);
        for (int d = 0; d < derived.length; d++) {
            slots[derivedBase + d] = derived[d].eval(slots);
        }
        for (int b = 0; b < boosted.length; b++) {
            slots[boostedBase + b] = boosted[b].value(slots, categories, null, 0);
        }
        return link.scoreFrom(slots, categories, linkBase);
    }

    @Override
    public Function<Map<String, ?>, String> hiddenValuesCheck(ModelEvaluator<?> reference) {
        HandedOnCheck check = new HandedOnCheck(reference, handedOutputs);
        return record -> {
            double[] handed = handedOn(record);
            return handed == null ? null : check.difference(record, handed);
        };
    }

    /**
     * The base estimators in segment order, each one's handed-on probability written into
     * {@code into} from {@code at}; their tables use the slots from {@code scratch}.
     */
    private void handOn(double[] slots, int[] categories, double[] into, int at, int scratch) {
        for (int m = 0; m < members.length; m++) {
            into[at + m] = members[m].probability(slots, categories, scratch);
        }
    }

    /** The probabilities the base estimators hand on for a record, or {@code null} if the record is declined. */
    private double[] handedOn(Map<String, ?> record) {
        try {
            int base = fields.slotCount();
            // the fields, then scratch for one base estimator's tables
            double[] slots = new double[base + memberTables];
            int[] categories = fields.read(record, slots);
            double[] handed = new double[members.length];
            handOn(slots, categories, handed, 0, base);
            return handed;
        } catch (NotCompiled e) {
            return null;
        }
    }
}
