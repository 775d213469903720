/**
 * Compiled scoring for PMML models: straight-line code that gives exactly jpmml-evaluator's
 * predictions for the model shapes it mirrors, and hands every other record to jpmml.
 *
 * <p>Not API: the {@code pmml} pipeline is the only caller. Its one entry point is
 * {@link dev.pronto.inference.pmml.compiled.ModelCompiler#compile}, which either returns a
 * {@link dev.pronto.inference.pmml.compiled.CompiledScorer} that has passed a cross-check against
 * jpmml, or says why the model stays on jpmml.
 *
 * <p>How the package is laid out, so a new model type is one more compiler and one more scorer:
 * {@code FieldCompiler} turns a model's inputs and DerivedFields into {@code CompiledFields} (typed
 * {@code Input}s and expression {@code Node}s over a slot array, compiled by {@code ExpressionCompiler}
 * with the document's {@code DefineFunction}s inlined; categorical DerivedFields as
 * {@code CategoricalField}s: a {@code DiscretizedField} computed from a slot, or an
 * {@code EvaluatedField} evaluated by jpmml) for any model type; trees, tables and expressions compile
 * against a {@code FieldScope}, which is the {@code FieldCompiler} or, for a model nested in a chain,
 * a {@code ChainScope} (its own DerivedFields and the values earlier members hand on); {@code SlotScorer} is what every
 * scorer does with a record (read the slots, score, decline on {@code NotCompiled});
 * {@code RegressionCompiler} and {@code RegressionScorer} are the RegressionModel part, with
 * {@code Normalization} for the link functions; {@code TreeEnsembleCompiler}, {@code TreeCompiler},
 * {@code Tree}, {@code TreeSum} and {@code TreeScorer} the TreeModel and tree-ensemble part (averages,
 * sums with their Target, votes, LightGBM's linear trees with a regression table in each node),
 * {@code BoostingCompiler} and {@code ChainScorer} gradient-boosting
 * chains (tree sums, then a RegressionModel link); {@code StackingCompiler}, {@code ClassifierMember}
 * and {@code StackingScorer} stacking chains (classification RegressionModels handing probabilities to
 * a nested boosting chain), whose handed-on values the load-time check also compares
 * ({@code HiddenValues}, {@code HandedOnCheck}); {@code FloatEnsembleCompiler}, {@code FloatSum},
 * {@code FloatLink} and {@code FloatScorer} the same shapes in {@code x-mathContext="float"}
 * (XGBoost's), in float arithmetic; {@code InputConversion} turns raw values into a continuous
 * input's number as jpmml does; {@code ResultField}
 * (what each output field reports) is shared; {@code CrossCheck} compares any scorer with
 * jpmml at load time. Everything but the entry point, its result and the scorer interface is
 * package-private.
 */
package dev.pronto.inference.pmml.compiled;
