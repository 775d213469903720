package dev.pronto.distribution;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs {@code ./pronto} with this JVM on a stand-in jar whose main class prints the options its JVM
 * was started with: the options the launcher chooses, seen by a real JVM, and a real class-data
 * sharing archive. Before Java 25 the launcher must never record a dynamic archive
 * ({@code -XX:ArchiveClassesAtExit}): on Java 17-20 it keeps each method's "queued for compilation"
 * flag from the recording run, and those methods are then never compiled (docs/performance.md,
 * "Models scored by jpmml").
 */
class LauncherScriptTest {
    private static final String MAIN = """
            public class PrintOptions {
                public static void main(String[] args) {
                    for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                        System.out.println(option);
                    }
                    System.out.println("effective Tier4InvocationThreshold=" + java.lang.management.ManagementFactory
                            .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                            .getVMOption("Tier4InvocationThreshold").getValue());
                }
            }
            """;

    @TempDir
    Path checkout;
    private Path target;

    @BeforeEach
    void checkoutWithStandInJar() throws IOException {
        assumeTrue(Runtime.version().feature() < 25, "Java 25+ records an AOT cache instead");
        Files.copy(ProjectLayout.root().resolve("pronto"), checkout.resolve("pronto"));
        target = Files.createDirectories(checkout.resolve("inference-server/target"));
        Path classes = Files.createDirectories(checkout.resolve("classes"));
        Path source = Files.writeString(checkout.resolve("PrintOptions.java"), MAIN);
        tool("javac", "-d", classes.toString(), source.toString());
        tool("jar", "--create", "--file", target.resolve("pronto-server.jar").toString(), "--main-class", "PrintOptions",
                "-C", classes.toString(), ".");
    }

    @Test
    void firstRunListsItsClassesAndTheNextMapsAStaticArchiveBuiltFromThem() throws Exception {
        List<String> first = run("");
        assertThat(first).anyMatch(option -> option.startsWith("-XX:DumpLoadedClassList=" + target))
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"))
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
        assertThat(Files.list(target).map(path -> path.getFileName().toString())).anyMatch(name -> name.endsWith(".classlist"));

        // -Xshare:on makes the JVM refuse to start unless it maps the archive
        List<String> second = run("-Xshare:on");
        assertThat(second).anyMatch(option -> option.startsWith("-XX:SharedArchiveFile=" + target) && option.endsWith("-static.jsa"))
                .noneMatch(option -> option.startsWith("-XX:DumpLoadedClassList"))
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(run("-Xshare:on")).isEqualTo(second);
    }

    @Test
    void aNewerJarIsListedAgain() throws Exception {
        run("");
        run("");
        Path jar = target.resolve("pronto-server.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(run("")).anyMatch(option -> option.startsWith("-XX:DumpLoadedClassList="))
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void runsTheSerialCollectorUnlessJavaOptsChoosesOne() throws Exception {
        assertThat(run("")).contains("-XX:+UseSerialGC");
        assertThat(run("-XX:+UseParallelGC")).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void delaysC2ForAFasterStartUnlessJavaOptsSetsItsOwnThreshold() throws Exception {
        // this machine's java is older than 25, so ./pronto raises C2's thresholds; an operator's own value,
        // later on the command line, is the one the JVM keeps
        assertThat(run("")).contains("-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=160000",
                "effective Tier4InvocationThreshold=20000");
        assertThat(run("-XX:Tier4InvocationThreshold=5000")).contains("effective Tier4InvocationThreshold=5000");
    }

    @Test
    void anArchiveAnOlderLauncherRecordedIsNeverMapped() throws Exception {
        // the dynamic archive's name before the static one: it may hold methods that are never compiled
        String release = Runtime.version().toString().replaceFirst("[+-].*", "");
        Files.writeString(target.resolve("pronto-server-" + release + ".jsa"), "an old dynamic archive");
        assertThat(run("")).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
    }

    /** ./pronto with JAVA_OPTS, this JVM first on the PATH; the stand-in's lines: its JVM's options. */
    private List<String> run(String javaOpts) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin");
        ProcessBuilder builder = new ProcessBuilder("sh", checkout.resolve("pronto").toString()).redirectErrorStream(true);
        builder.environment().put("PATH", java + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_OPTS", javaOpts);
        builder.environment().remove("DEPLOY_ENV");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("./pronto finished").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines().toList();
    }

    private static void tool(String name, String... args) {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.findFirst(name).orElseThrow()
                .run(new PrintStream(errors, true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8), args);
        assertThat(status).as(name + ": " + errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
