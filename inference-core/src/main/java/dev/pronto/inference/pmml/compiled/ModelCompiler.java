package dev.pronto.inference.pmml.compiled;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.dmg.pmml.Model;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.ModelEvaluator;

import dev.pronto.inference.Prediction;

/**
 * The one entry point of compiled scoring: compiles a loaded model if every part of it is one the
 * compiled code mirrors, and cross-checks the scorer against jpmml before handing it out.
 *
 * <p>A compiled scorer is an optimisation, never a change of results: a model part that is not
 * mirrored, a difference found by the cross-check, or any failure while compiling leaves the model
 * on jpmml, with a note that says why.
 *
 * <pre>{@code
 * Compilation compilation = ModelCompiler.compile(evaluator, resultNames, pipeline::predictWithJpmml,
 *         ModelCompiler.CHECK_RECORDS, seed);
 * CompiledScorer scorer = compilation.scorer().orElse(null);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelCompiler {

    /** Records generated per cross-check: enough to reach every branch of a small model, cheap at load time. */
    public static final int CHECK_RECORDS = 300;

    private ModelCompiler() {
    }

    /**
     * Compiles the model behind {@code evaluator} and compares the scorer with jpmml on the model's
     * ModelVerification rows and {@code checkRecords} generated records. Never throws.
     *
     * @param evaluator the model's jpmml evaluator, already built and verified
     * @param resultNames the names of {@code Prediction.fields()} in order, as the jpmml path reports them
     * @param jpmml scores a record with jpmml (the reference), throwing for a record jpmml rejects
     * @param checkRecords how many generated records the cross-check scores both ways
     * @param seed the seed of the generated records, so one model is always checked on the same records
     * @return the checked scorer, or none and why
     */
    public static Compilation compile(Evaluator evaluator, List<String> resultNames,
            Function<Map<String, ?>, Prediction> jpmml, int checkRecords, long seed) {
        try {
            CompiledScorer scorer;
            try {
                scorer = scorer(evaluator, resultNames);
            } catch (NotEligible e) {
                return Compilation.jpmml("not compiled: " + e.getMessage(), 0);
            }
            CrossCheck.Outcome check = CrossCheck.run(evaluator, jpmml, scorer, checkRecords, seed);
            if (check.difference() != null) {
                return Compilation.jpmml("its compiled scorer differs from jpmml " + check.difference(), check.compared());
            }
            if (check.compared() == 0) {
                return Compilation.jpmml("no generated record could check its compiled scorer", 0);
            }
            return Compilation.compiled(scorer, check.compared(), check.sample());
        } catch (RuntimeException e) {
            // compiling is an optimisation: whatever goes wrong in it, jpmml still scores the model
            return Compilation.jpmml("compiling it failed: " + e, 0);
        }
    }

    /** The scorer of the model's type; each model type the package compiles is one branch here. */
    private static CompiledScorer scorer(Evaluator evaluator, List<String> resultNames) {
        if (!(evaluator instanceof ModelEvaluator<?> modelEvaluator)) {
            throw new NotEligible("it is not a single model");
        }
        Model model = modelEvaluator.getModel();
        try {
            if (model instanceof RegressionModel regression) {
                return RegressionCompiler.compile(modelEvaluator, regression, resultNames);
            }
            if (model instanceof TreeModel || model instanceof MiningModel) {
                return TreeEnsembleCompiler.compile(modelEvaluator, model, resultNames);
            }
        } catch (NotEligible e) {
            throw e;
        } catch (RuntimeException e) {
            // jpmml's own checks (missing attributes and the like): the model stays on jpmml, which reports them
            throw new NotEligible("jpmml refused part of it while compiling: " + e);
        }
        throw new NotEligible("it is a " + model.getClass().getSimpleName()
                + ", not a RegressionModel, TreeModel or MiningModel");
    }
}
