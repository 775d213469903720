package dev.pronto.pipeline.onnx;

import java.util.Map;
import java.util.Set;

import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;

/**
 * The {@code onnx} format: ONNX models, scored with ONNX Runtime under the tabular conventions of
 * {@code docs/onnx.md}.
 *
 * <p>Configuration keys (engine prefix {@code pipeline.onnx.}):
 * <ul>
 *   <li>{@code intra-op-threads} (default 1): threads one run may use; {@code 0} lets ONNX Runtime
 *       use every core, which helps a large network served to few clients at once;</li>
 *   <li>{@code optimization-level} (default {@code all}): {@code none}, {@code basic},
 *       {@code extended} or {@code all}, ONNX Runtime's graph optimisations;</li>
 *   <li>{@code warmup-runs} (default 5): runs of a synthetic record made while loading;</li>
 *   <li>{@code close-grace} (default {@code 2s}): how long a replaced or evicted model stays open
 *       after its last use, so that the requests already using it finish on it.</li>
 * </ul>
 *
 * <p>The native library is loaded on the first model load, not when the engine starts, so an engine
 * that never sees an ONNX model never extracts it.
 */
public final class OnnxPipelineProvider implements PipelineProvider {

    /** The format name, which the seed contract's {@code implementation} field may also name. */
    public static final String FORMAT = "onnx";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of("onnx");
    }

    @Override
    public PipelineLoader create(Map<String, String> properties) {
        return new OnnxPipelineLoader(OnnxSettings.from(properties));
    }
}
