package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar started as a process in a folder of its own, with the seed's configuration files
 * found through {@code DEPLOY_ENV=it}, and its console output (stdout and stderr) collected line by line.
 */
final class ServerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "pronto-server.jar").toAbsolutePath();
    /** {@code http:} then anything up to the port: JSON lines put a backslash before each slash. */
    private static final Pattern LISTENING = Pattern.compile("listening on http:[^:]+:(\\d+)");

    final Process process;
    private final Thread reader;
    private final List<String> output = new ArrayList<>();

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Writes {@code configs/it/project.properties} (and the credentials file when given) under {@code dir}. */
    static void writeConfig(Path dir, String project, String credentials) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("configs").resolve("it"));
        Files.writeString(folder.resolve("project.properties"), project);
        if (credentials != null) {
            Files.writeString(folder.resolve("credentials.properties"), credentials);
        }
    }

    /** Starts {@code java <jvmOptions> -jar pronto-server.jar} in {@code dir}, with no {@code PRONTO_*} variables. */
    static ServerProcess start(Path dir, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("DEPLOY_ENV", "it");
        builder.environment().put("HOSTNAME", "it-host");
        builder.environment().keySet().removeIf(name -> name.startsWith("PRONTO_") || name.equals("PORT") || name.equals("HOST")
                || name.startsWith("OTEL_") || name.equals("JAVA_TOOL_OPTIONS"));
        return new ServerProcess(builder.start());
    }

    /** Waits for the "listening on" line and returns its port. */
    int awaitPort() throws InterruptedException {
        Matcher m = LISTENING.matcher(awaitLine("listening on"));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /**
     * Waits up to two minutes (a busy machine, a Java agent) for a line, printed so far or later, that
     * contains the text, and returns the first such line.
     */
    String awaitLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (String line : output()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server never logged \"" + text + "\"; output: " + output());
    }

    /** SIGTERM, then waits for the exit and for the reader to reach the end of the output. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit("the server stops on SIGTERM");
    }

    /** Waits, without a signal, for a server that stops by itself (a startup error), and for the end of its output. */
    int awaitExit() throws InterruptedException {
        return awaitExit("the server exits by itself");
    }

    private int awaitExit(String expectation) throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(expectation).isTrue();
        // the pipe still holds the last lines when the process is gone; on a busy machine the reader can be
        // seconds behind
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return process.exitValue();
    }

    /** Every line so far. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
