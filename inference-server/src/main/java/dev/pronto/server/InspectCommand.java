package dev.pronto.server;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.pronto.inference.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pronto inspect LOCATION}: prints a model's facts and schema (inputs with types and valid
 * values, targets with classes, outputs) as JSON, the same document as {@code GET /models/{name}}'s schema.
 * Exit status 0, 1 when the model cannot be loaded, 2 for a configuration mistake.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, version = "pronto inspect",
        description = "Print a model's schema: inputs, targets and classes, outputs.")
final class InspectCommand implements Callable<Integer> {

    @Mixin
    Cli.EngineOptions engineOptions = new Cli.EngineOptions();

    @Parameters(paramLabel = "LOCATION", description = "the model, as pipelineFilename names it")
    String location;

    @Override
    public Integer call() throws IOException {
        return engineOptions.withEngine("inspect", engine -> {
            ModelInfo info = engine.model(location);
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("location", info.location().toString());
            model.put("format", info.format());
            model.put("sha256", info.sha256());
            model.put("sizeBytes", info.sizeBytes());
            model.put("schema", info.schema());
            System.out.println(ServerApp.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(model));
            return 0;
        });
    }
}
