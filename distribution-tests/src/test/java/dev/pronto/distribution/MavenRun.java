package dev.pronto.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a separate Maven build, as a user would from a shell: the Maven installation and JDK that run
 * this build, batch mode, output kept in a log file.
 *
 * @param exitCode the process's exit code
 * @param output everything Maven printed
 * @param log the file holding that output
 */
record MavenRun(int exitCode, String output, Path log) {
    private static final long TIMEOUT_MINUTES = 20;

    static MavenRun run(Path directory, Path log, List<String> arguments) {
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome == null) {
            throw new IllegalStateException("system property maven.home is not set: run the tests through Maven");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(mavenHome, "bin", "mvn").toString());
        command.add("--batch-mode");
        command.add("--no-transfer-progress");
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("mvn " + arguments + " did not finish within " + TIMEOUT_MINUTES
                        + " minutes; see " + log);
            }
            return new MavenRun(process.exitValue(), Files.readString(log), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running mvn " + arguments, e);
        }
    }

    /** The last lines of the output, for assertion messages. */
    String tail() {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    String describe() {
        return "exit code " + exitCode + ", log " + log + ":\n" + tail();
    }
}
