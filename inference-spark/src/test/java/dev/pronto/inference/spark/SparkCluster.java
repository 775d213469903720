package dev.pronto.inference.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1, assembled from Maven Central, for {@code SparkClusterIT} and
 * {@code bench/spark-cluster.sh}: a master and one worker, each its own JVM, and {@code spark-submit} runs
 * against them. Every JVM is started with the command line Spark's launcher prints
 * ({@code org.apache.spark.launcher.Main}, what {@code bin/spark-class} runs), so the JVM options are
 * exactly Spark's own, {@code --add-opens} included; nothing is added here.
 *
 * <p>The Spark home is a folder with Spark's jars under {@code jars/} (this module's pom copies them into
 * {@code target/spark-home}) and a {@code RELEASE} file, written here: with it the launcher takes
 * {@code SPARK_HOME/jars} as the class path, as in a Spark distribution. The worker starts executor JVMs
 * itself, from the same home.
 *
 * <p>Closing stops every process started here, with its children (the worker's executors), by PID.
 * Not thread-safe: one test or bench drives it.
 */
final class SparkCluster implements AutoCloseable {

    /** What a finished {@code spark-submit} left: its exit code, its command line and its output. */
    record Submission(int exitCode, List<String> command, String stdout, String stderr) {
    }

    private static final Duration DAEMON_START = Duration.ofSeconds(180);

    private final Path home;
    private final Path dir;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private String masterUrl;
    private int submissions;

    private SparkCluster(Path home, Path dir) {
        this.home = home.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
        // what bin/load-spark-env.sh exports for the scripts; an empty conf folder keeps any machine's
        // spark-defaults.conf out; every address on the loopback interface
        environment.put("SPARK_HOME", this.home.toString());
        environment.put("SPARK_SCALA_VERSION", "2.13");
        environment.put("SPARK_CONF_DIR", this.dir.resolve("conf").toString());
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("SPARK_DAEMON_MEMORY", "256m");
    }

    /**
     * Starts a master and one worker with the given cores and memory for executors, and waits until the
     * worker has registered.
     *
     * @param home the Spark home: {@code jars/} holding Spark's jars
     * @param dir a folder for the logs and the worker's work folder
     */
    static SparkCluster start(Path home, Path dir, int workerCores, String workerMemory) throws IOException, InterruptedException {
        if (!Files.isDirectory(home.resolve("jars"))) {
            throw new IllegalStateException(home.resolve("jars") + " is missing: run ./mvnw -pl inference-spark -am verify"
                    + " (its pre-integration-test phase copies Spark's jars there)");
        }
        Files.writeString(home.resolve("RELEASE"), "Spark, jars from Maven Central (inference-spark/src/test/spark-home)\n");
        Files.createDirectories(dir.resolve("conf"));
        SparkCluster cluster = new SparkCluster(home, dir);
        try {
            int masterPort = freePort();
            cluster.masterUrl = "spark://127.0.0.1:" + masterPort;
            Path masterLog = cluster.daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
            cluster.awaitLine(masterLog, "I have been elected leader");
            Path workerLog = cluster.daemon("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--port", String.valueOf(freePort()), "--webui-port", String.valueOf(freePort()),
                    "--cores", String.valueOf(workerCores), "--memory", workerMemory,
                    "--work-dir", cluster.workDir().toString(), cluster.masterUrl);
            cluster.awaitLine(workerLog, "Successfully registered with master");
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The master's URL for {@code --master}. */
    String masterUrl() {
        return masterUrl;
    }

    /** The worker's work folder: one folder per application, one per executor in it, with its stdout and stderr. */
    Path workDir() {
        return dir.resolve("work");
    }

    /**
     * Runs {@code spark-submit} with these arguments (the options, the application jar and its arguments)
     * against this cluster in client mode, and waits for it.
     */
    Submission submit(List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        List<String> submitArguments = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client"));
        submitArguments.addAll(arguments);
        List<String> command = launcherCommand("org.apache.spark.deploy.SparkSubmit", submitArguments);
        String name = "submit-" + ++submissions;
        Process process = start(command, name);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            stop(process);
            throw new IllegalStateException("spark-submit took more than " + timeout + "; its log: " + tail(dir.resolve(name + ".err")));
        }
        return new Submission(process.exitValue(), command, Files.readString(dir.resolve(name + ".out")),
                Files.readString(dir.resolve(name + ".err")));
    }

    /**
     * The command line {@code bin/spark-class CLASS ARGUMENTS} would run: Spark's launcher prints it as a
     * start mark ({@code NUL}, newline) and then NUL-separated words; anything before the mark is a message.
     */
    List<String> launcherCommand(String mainClass, List<String> arguments) throws IOException, InterruptedException {
        List<String> launcher = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", home.resolve("jars") + "/*",
                "org.apache.spark.launcher.Main", mainClass));
        launcher.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(launcher).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        int mark = output.indexOf("\0\n");
        if (status != 0 || mark < 0) {
            throw new IllegalStateException("Spark's launcher failed (exit " + status + "): " + output);
        }
        return Stream.of(output.substring(mark + 2).split("\0")).filter(word -> !word.isEmpty()).toList();
    }

    /** Stops the processes, newest first, each with its children. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
        processes.clear();
    }

    private Path daemon(String name, String mainClass, String... arguments) throws IOException, InterruptedException {
        start(launcherCommand(mainClass, List.of(arguments)), name);
        return dir.resolve(name + ".err");
    }

    private Process start(List<String> command, String name) throws IOException {
        List<String> words = new ArrayList<>(command);
        // in the cluster's folder: the driver may create spark-warehouse/ and derby.log in its working folder
        ProcessBuilder builder = new ProcessBuilder().directory(dir.toFile()).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().putAll(environment);
        // the launcher prefixes "env NAME=VALUE ..." when the child needs variables of its own
        if (!words.isEmpty() && words.get(0).equals("env")) {
            words.remove(0);
            while (!words.isEmpty() && words.get(0).contains("=")) {
                String assignment = words.remove(0);
                builder.environment().put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
            }
        }
        Process process = builder.command(words).start();
        processes.add(process);
        return process;
    }

    private void awaitLine(Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DAEMON_START.toNanos();
        Process process = processes.get(processes.size() - 1);
        while (!(Files.exists(log) && Files.readString(log).contains(line))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException((process.isAlive() ? "no \"" + line + "\" in " : "exited: ") + log + ": " + tail(log));
            }
            Thread.sleep(200);
        }
    }

    /** The children first (the worker's executors), so that none is left behind by the parent's death. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
