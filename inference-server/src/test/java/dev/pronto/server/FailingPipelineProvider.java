package dev.pronto.server;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.ModelSchema;
import dev.pronto.inference.Prediction;
import dev.pronto.inference.spi.Pipeline;
import dev.pronto.inference.spi.PipelineLoader;
import dev.pronto.inference.spi.PipelineProvider;

/**
 * A pipeline format, named after its file extension, whose models load and then fail every
 * prediction as {@code failure} does: an unexpected exception or an {@link Error}, as a defect would.
 */
final class FailingPipelineProvider implements PipelineProvider {

    private final String format;
    private final Runnable failure;

    /** @param failure throws the exception or error each prediction ends with */
    FailingPipelineProvider(String format, Runnable failure) {
        this.format = format;
        this.failure = failure;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of(format);
    }

    @Override
    public PipelineLoader create(Map<String, String> properties) {
        return source -> new Pipeline() {
            @Override
            public ModelSchema schema() {
                return new ModelSchema("regression", List.of(), List.of(), List.of());
            }

            @Override
            public Prediction predict(Map<String, ?> record) {
                failure.run();
                throw new AssertionError("the failure must throw");
            }
        };
    }
}
