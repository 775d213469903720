package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.storage.s3.testing.S3ProxyServer;

/**
 * The runnable jar's other commands and its exit status: {@code --version}, {@code --check-config}
 * against a real S3 (S3Proxy, signatures checked), and SIGINT.
 */
class CommandLineIT {

    private static final Path JAR = Path.of("target", "pronto-server.jar").toAbsolutePath();
    private static final Path MODELS = Path.of("..", "examples", "models").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void versionPrintsVersionAndBuildCommit() throws Exception {
        Result result = run(List.of("--version"));

        assertThat(result.status).isZero();
        assertThat(result.lines).hasSize(1);
        assertThat(result.lines.get(0)).matches("pronto \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{7,40}\\)");
    }

    @Test
    void serveNamedOrNotTakesTheSameFlags() throws Exception {
        Result implicit = run(List.of("--help"));
        Result named = run(List.of("serve", "--help"));
        Result version = run(List.of("serve", "--version"));

        assertThat(named.status).isZero();
        assertThat(named.lines).isEqualTo(implicit.lines).anySatisfy(line -> assertThat(line).contains("--model-root DIR"));
        assertThat(version.lines).containsExactly(BuildInfo.current().toString());
    }

    @Test
    void checkConfigLoadsTheModelsAndReachesEveryBucket() throws Exception {
        try (S3ProxyServer s3 = new S3ProxyServer(Files.createDirectories(dir.resolve("s3")))) {
            s3.put("iris/model.pmml", Files.readAllBytes(TestServer.IRIS));
            Path good = config("good", S3ProxyServer.SECRET_KEY, s3, "iris = iris/model.pmml\ns3iris = /s3-models/iris/model.pmml");
            Path probed = config("probed", S3ProxyServer.SECRET_KEY, s3, "iris = iris/model.pmml");
            Path wrongSecret = config("wrong", "not-the-secret", s3, "iris = iris/model.pmml");
            Path missingModel = config("missing", S3ProxyServer.SECRET_KEY, s3, "gone = iris/v9.pmml");

            Result ok = run(List.of("--check-config", "--config", good.toString()));
            Result reached = run(List.of("--config", probed.toString(), "--check-config"));
            Result refused = run(List.of("--check-config", "--config", wrongSecret.toString()));
            Result missing = run(List.of("--check-config", "--config", missingModel.toString()));

            assertThat(ok.status).as(ok.lines.toString()).isZero();
            assertThat(ok.lines).containsExactly("pronto: configuration OK: 2 model(s) loaded");
            assertThat(reached.status).as(reached.lines.toString()).isZero();
            assertThat(reached.lines).containsExactly("pronto: configuration OK: 1 model(s) loaded, reached s3://models");
            assertThat(refused.status).isEqualTo(2);
            assertThat(refused.lines).hasSize(1);
            assertThat(refused.lines.get(0)).startsWith("pronto: invalid configuration: " + wrongSecret
                    + " [S3] default_bucket_name: cannot reach s3://models: ").doesNotContain("not-the-secret");
            assertThat(missing.status).isEqualTo(2);
            assertThat(missing.lines).hasSize(1);
            assertThat(missing.lines.get(0)).startsWith("pronto: invalid configuration: [Models] gone: cannot load the model: "
                    + "model not found");
        }
    }

    @Test
    void ctrlCStopsTheServerWithTheStatusOfSigint() throws Exception {
        // a build started in the background of a non-interactive shell (`mvn verify &`, nohup) runs with SIGINT
        // ignored, which every child inherits and the JVM then leaves ignored, as any Unix program does: Ctrl-C
        // cannot reach the server there, so this test says so instead of failing after its timeout
        assumeFalse(sigintIgnored(), "SIGINT is ignored by this process and so by the server it starts");
        Path project = Files.writeString(dir.resolve("project.properties"),
                "[Server]\nhost = 127.0.0.1\nport = 0\n[NAS]\nNAS_local_folder_path = " + MODELS + "\n");
        Process process = builder(List.of("--config", project.toString())).start();
        List<String> lines = new ArrayList<>();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.contains("Main: ready"); line = out.readLine()) {
                lines.add(line);
            }
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).isEqualTo(130);
        assertThat(String.join("\n", lines)).contains("pronto " + BuildInfo.current().version(), "stopped");
    }

    private Path config(String name, String secret, S3ProxyServer s3, String models) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("credentials.properties"), "[AWS Credentials]\naccess_key = " + S3ProxyServer.ACCESS_KEY
                + "\nsecret_key = " + secret + "\n");
        return Files.writeString(folder.resolve("project.properties"), """
                [S3]
                S3_local_folder_path = %s
                default_bucket_name = %s
                [NAS]
                NAS_local_folder_path = %s
                [Engine]
                storage.s3.endpoint = %s
                storage.s3.path-style = true
                storage.s3.region = us-east-1
                storage.s3.max-attempts = 1
                [Models]
                %s
                """.formatted(folder.resolve("cache"), S3ProxyServer.BUCKET, MODELS, s3.endpoint(), models));
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PRONTO_") || name.equals("PORT") || name.equals("HOST")
                || name.equals("DEPLOY_ENV"));
        return builder;
    }

    private Result run(List<String> args) throws Exception {
        Process process = builder(args).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.lines().toList());
    }

    private record Result(int status, List<String> lines) {
    }

    /** Whether this JVM was started with SIGINT ignored: signal 2, the mask's second bit, in /proc/self/status's SigIgn. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
