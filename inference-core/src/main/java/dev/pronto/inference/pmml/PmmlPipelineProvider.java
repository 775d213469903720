package dev.pronto.inference.pmml;

import java.util.Map;
import java.util.Set;

import dev.pronto.inference.toolkit.ProviderProperties;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;

/**
 * The built-in {@code pmml} format: PMML documents evaluated with jpmml-evaluator.
 *
 * <p>Configuration keys (engine prefix {@code pipeline.pmml.}):
 * <ul>
 *   <li>{@code warmup-evaluations} (default {@value PmmlPipelineLoader#DEFAULT_WARMUP_EVALUATIONS}):
 *       evaluations of a synthetic record made while loading, so the JIT compiles the model's code
 *       before the first client record arrives; {@code 0} turns warm-up off.</li>
 *   <li>{@code compile} (default {@code true}): score simple {@code RegressionModel}s (linear and
 *       logistic regressions on numeric inputs) with compiled code that gives exactly jpmml's
 *       predictions at a fraction of its cost. A model is compiled only if every part of it is one
 *       the compiled code mirrors and if, at load, it gives the same predictions as jpmml on a few
 *       hundred records; any record it is not sure about (missing, non-numeric, NaN, out of range)
 *       is scored by jpmml. The engine's log line for each load says whether the model is compiled
 *       and, if not, why. {@code false} scores every record with jpmml.</li>
 *   <li>{@code max-elements} (default {@value DocumentLimits#DEFAULT_MAX_ELEMENTS}), {@code max-depth}
 *       (default {@value DocumentLimits#DEFAULT_MAX_DEPTH}) and {@code load-timeout} (default {@code 60s}):
 *       a document with more XML elements, deeper nesting, or whose parsing takes longer, is refused as
 *       an invalid model while it is read, before it can take minutes of CPU, gigabytes of heap or the
 *       stack of the loading thread.</li>
 * </ul>
 */
public final class PmmlPipelineProvider implements PipelineProvider {

    /** The format name, which callers may pass as a {@link dev.pronto.inference.ModelFormat}. */
    public static final String FORMAT = "pmml";

    /**
     * Starts the one-time set-up of the PMML parser (jpmml's JAXB context) on a daemon thread and
     * returns at once; see {@link dev.pronto.inference.InferenceEngine#prepare()}. Idempotent and thread-safe.
     */
    public static void prepareParser() {
        ParserContext.startInBackground();
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of("pmml", "xml");
    }

    @Override
    public PipelineLoader create(Map<String, String> properties) {
        ProviderProperties config = new ProviderProperties("pipeline.pmml.", properties);
        int warmup = config.getInt("warmup-evaluations", PmmlPipelineLoader.DEFAULT_WARMUP_EVALUATIONS, 0, 1_000_000);
        boolean compile = config.getBoolean("compile", true);
        DocumentLimits.Limits limits = new DocumentLimits.Limits(
                config.getLong("max-elements", DocumentLimits.DEFAULT_MAX_ELEMENTS, 1, Long.MAX_VALUE),
                config.getInt("max-depth", DocumentLimits.DEFAULT_MAX_DEPTH, 1, 100_000),
                config.getDuration("load-timeout", DocumentLimits.DEFAULT_TIMEOUT));
        config.rejectUnused();
        return new PmmlPipelineLoader(warmup, compile, limits);
    }
}
