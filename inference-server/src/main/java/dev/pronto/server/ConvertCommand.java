package dev.pronto.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pronto convert MODEL.pkl -o MODEL.pmml}: writes the PMML document a model is converted to
 * when it loads (a scikit-learn pickle), the document {@code GET /models/{name}/pmml} serves. A
 * {@code MODEL} that is a local file is read from its folder when no {@code --model-root} or
 * {@code --config} says otherwise. Exit status 0, 1 when the model cannot be loaded or needs no
 * conversion, 2 for a configuration mistake.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, version = "pronto convert",
        description = "Write the PMML a model (a scikit-learn pickle) converts to.")
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    Cli.EngineOptions engineOptions = new Cli.EngineOptions();

    @Parameters(paramLabel = "MODEL", description = "the model: a local file, or a location as pipelineFilename names it")
    String model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "where to write the PMML")
    Path output;

    @Override
    public Integer call() throws IOException {
        Path file = Path.of(model).toAbsolutePath();
        boolean localFile = engineOptions.modelRoot == null && engineOptions.config == null && Files.isRegularFile(file);
        if (localFile) {
            engineOptions.modelRoot = file.getParent().toString();
        }
        String location = localFile ? file.getFileName().toString() : model;
        return engineOptions.withEngine("convert", engine -> {
            Optional<byte[]> pmml = engine.convertedPmml(location);
            if (pmml.isEmpty()) {
                System.err.println("pronto convert: " + model + " is not converted: the stored file is the document it evaluates");
                return 1;
            }
            Files.write(output, pmml.get());
            return 0;
        });
    }
}
