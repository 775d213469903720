package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes every command that opens an engine reports alike ({@code Cli.EngineOptions.withEngine}):
 * a configuration mistake is exit status 2, a model that cannot be loaded 1, each one line on standard
 * error under the command's name. In this JVM ({@link Cli#execute}), as {@link ScoreCommandIT} runs the
 * corpus: the commands turn logging off, which is why this is not a unit test.
 */
class CommandMistakesIT {

    @TempDir
    Path dir;

    @Test
    void aModelThatCannotBeLoadedIsStatusOneNamingTheCommand() throws IOException {
        for (List<String> command : List.of(List.of("inspect", "nowhere/model.pmml"),
                List.of("convert", "nowhere/model.pmml", "-o", dir.resolve("out.pmml").toString()),
                List.of("score", "--model", "nowhere/model.pmml", "--input", "-", "--output", "-"))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--model-root", dir.toString()));

            Result result = run(args);

            assertThat(result.status()).as(result.err()).isEqualTo(1);
            assertThat(result.err()).startsWith("pronto " + command.get(0) + ": ").contains("nowhere/model.pmml")
                    .doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aConfigurationMistakeIsStatusTwoNamingTheKey() throws IOException {
        Path config = Files.writeString(dir.resolve("project.properties"), "[Limits]\nmax_recrods = 10\n");
        for (String command : List.of("inspect", "convert", "score")) {
            List<String> args = switch (command) {
                case "convert" -> List.of(command, "iris/model.pmml", "-o", dir.resolve("out.pmml").toString());
                case "score" -> List.of(command, "--model", "iris/model.pmml", "--input", "-", "--output", "-");
                default -> List.of(command, "iris/model.pmml");
            };
            List<String> withConfig = new java.util.ArrayList<>(args);
            withConfig.addAll(List.of("--config", config.toString()));

            Result result = run(withConfig);

            assertThat(result.status()).as(result.err()).isEqualTo(2);
            assertThat(result.err()).startsWith("pronto " + command + ": invalid configuration: ").contains("max_recrods");
        }
    }

    private static Result run(List<String> args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = Cli.execute(args);
            return new Result(status, captured.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setErr(err);
        }
    }

    private record Result(int status, String err) {
    }
}
