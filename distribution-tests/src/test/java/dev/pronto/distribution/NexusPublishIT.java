package dev.pronto.distribution;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.Prediction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishes Pronto to a real Nexus and uses it from there, the way a team would.
 *
 * <p>The steps share one Nexus (it takes about a minute to start) and run in order, each building on
 * the previous one: deploy the snapshot this build made (and check that an independent build of the
 * same sources produced the same bytes), deploy a release, build a separate consumer project against
 * the release, then try to overwrite the release. The nested builds run on a copy of the sources under
 * {@code target/}, so this build's own output is left alone.
 *
 * <p>Skipped with {@code -Dpronto.skipNexus=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisabledIfSystemProperty(named = "pronto.skipNexus", matches = "true")
class NexusPublishIT {
    private static final String GROUP_PATH = "dev/pronto/";
    private static final Map<String, Object> SETOSA = Map.of(
            "sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2);

    private static Nexus nexus;
    private static Path work;
    private static Path sources;
    private static String snapshotVersion;
    private static String releaseVersion;

    @BeforeAll
    static void startNexusAndCopySources() throws Exception {
        Path root = ProjectLayout.root();
        work = root.resolve("distribution-tests/target/nexus-it");
        Files.createDirectories(work);
        nexus = Nexus.start(Path.of(System.getProperty("nexus.zip")), work);
        sources = work.resolve("sources");
        LocalMachine.deleteTree(sources);
        ProjectLayout.copySources(root, sources);
        snapshotVersion = System.getProperty("pronto.version");
        // unique, so that no earlier run and no local repository can hold it
        releaseVersion = snapshotVersion.replace("-SNAPSHOT", "") + "-it." + System.currentTimeMillis();
        writeSettings(work.resolve("settings-deploy.xml"), Nexus.PASSWORD);
        writeSettings(work.resolve("settings-wrong-password.xml"), "not-" + Nexus.PASSWORD);
    }

    @AfterAll
    static void stopNexus() throws InterruptedException {
        if (nexus != null) {
            nexus.close();
        }
    }

    @Test
    @Order(1)
    void snapshotDeployPublishesTheBytesThisBuildMade() throws Exception {
        MavenRun deploy = deploy("deploy-snapshot", "settings-deploy.xml");
        assertThat(deploy.exitCode()).as("snapshot deploy, %s", deploy.describe()).isZero();

        for (String module : jarModules()) {
            String artifactId = ProjectLayout.artifactId(module);
            List<Path> built = builtJars(sources.resolve(module), artifactId + "-" + snapshotVersion);
            assertThat(built.stream().map(jar -> jar.getFileName().toString()))
                    .as("jars of %s", module)
                    .contains(artifactId + "-" + snapshotVersion + ".jar",
                            artifactId + "-" + snapshotVersion + "-sources.jar",
                            artifactId + "-" + snapshotVersion + "-javadoc.jar");
            // reproducible builds: this build and the independent one agree to the byte, for every
            // jar, including ones that are not deployed (such as a runnable jar)
            for (Path jar : builtJars(sources.resolve(module), "")) {
                Path ours = ProjectLayout.root().resolve(module).resolve("target").resolve(jar.getFileName().toString());
                assertThat(sha256(Files.readAllBytes(jar)))
                        .as("%s built twice from the same sources (reproducible build)", jar.getFileName())
                        .isEqualTo(sha256(Files.readAllBytes(ours)));
            }
            String timestamped = latestSnapshot(artifactId);
            for (Path jar : built) {
                String classifier = jar.getFileName().toString()
                        .substring((artifactId + "-" + snapshotVersion).length()).replace(".jar", "");
                String path = "/repository/maven-snapshots/" + GROUP_PATH + artifactId + "/" + snapshotVersion + "/"
                        + artifactId + "-" + timestamped + classifier + ".jar";
                HttpResponse<byte[]> published = nexus.get(path);
                assertThat(published.statusCode()).as("GET %s", path).isEqualTo(200);
                assertThat(sha256(published.body())).as("%s in Nexus", path).isEqualTo(sha256(Files.readAllBytes(jar)));
            }
        }
    }

    @Test
    @Order(2)
    void releaseDeployPublishesJarsSourcesJavadocAndTheBom() throws Exception {
        setVersion(sources, snapshotVersion, releaseVersion);
        MavenRun deploy = deploy("deploy-release", "settings-deploy.xml");
        assertThat(deploy.exitCode()).as("release deploy, %s", deploy.describe()).isZero();

        for (String module : jarModules()) {
            String artifactId = ProjectLayout.artifactId(module);
            String base = "/repository/maven-releases/" + GROUP_PATH + artifactId + "/" + releaseVersion + "/"
                    + artifactId + "-" + releaseVersion;
            assertThat(nexus.get(base + ".pom").statusCode()).as("%s.pom", base).isEqualTo(200);
            assertThat(entries(nexus.get(base + ".jar").body())).as("%s.jar", base)
                    .anyMatch(name -> name.endsWith(".class"));
            assertThat(entries(nexus.get(base + "-sources.jar").body())).as("%s-sources.jar", base)
                    .anyMatch(name -> name.endsWith(".java"));
            assertThat(entries(nexus.get(base + "-javadoc.jar").body())).as("%s-javadoc.jar", base)
                    .contains("index.html");
        }
        String bomPath = "/repository/maven-releases/" + GROUP_PATH + "inference-bom/" + releaseVersion
                + "/inference-bom-" + releaseVersion + ".pom";
        HttpResponse<byte[]> bom = nexus.get(bomPath);
        assertThat(bom.statusCode()).as("GET %s", bomPath).isEqualTo(200);
        Element bomPom = ProjectLayout.parse(bom.body()).getDocumentElement();
        Element managed = ProjectLayout.child(bomPom, "dependencyManagement").orElseThrow();
        assertThat(ProjectLayout.childTexts(managed, "dependencies", "dependency").toString())
                .as("the published BOM").contains("inference-core", "storage-nas");
    }

    @Test
    @Order(3)
    void aSeparateProjectResolvesTheReleaseFromNexusAndPredicts() throws Exception {
        Path project = work.resolve("consumer");
        LocalMachine.deleteTree(project);
        ProjectLayout.copySources(ProjectLayout.root().resolve("examples/maven-consumer"), project);
        Path freshRepository = work.resolve("consumer-repository");
        LocalMachine.deleteTree(freshRepository);
        Path settings = work.resolve("settings-consumer.xml");
        Files.writeString(settings, """
                <settings>
                  <servers>
                    <server><id>pronto-nexus</id><username>%s</username><password>%s</password></server>
                  </servers>
                  <profiles>
                    <profile>
                      <id>pronto-nexus</id>
                      <repositories>
                        <repository>
                          <id>pronto-nexus</id>
                          <url>%s</url>
                          <snapshots><enabled>false</enabled></snapshots>
                        </repository>
                      </repositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>pronto-nexus</activeProfile></activeProfiles>
                </settings>
                """.formatted(Nexus.USER, Nexus.PASSWORD, nexus.repository("maven-releases")));

        // A fresh local repository, so our artifacts can only come from Nexus; third-party ones are
        // read from this build's local repository (a read-only "tail", Maven 3.9) instead of going
        // through Nexus's internet proxy.
        MavenRun build = MavenRun.run(project, work.resolve("logs/consumer.log"), List.of(
                "-s", settings.toString(),
                "-Dmaven.repo.local=" + freshRepository,
                "-Dmaven.repo.local.tail=" + System.getProperty("pronto.localRepository"),
                "-Dpronto.version=" + releaseVersion,
                "compile", "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt"));
        assertThat(build.exitCode()).as("consumer build, %s", build.describe()).isZero();

        List<String> classpath = List.of(Files.readString(project.resolve("target/classpath.txt")).trim()
                .split(java.io.File.pathSeparator));
        assertThat(classpath.stream().filter(entry -> entry.contains(releaseVersion)))
                .as("the consumer's Pronto jars").hasSize(2)
                .allMatch(entry -> Path.of(entry).startsWith(freshRepository));
        // the BOM pins what jpmml declares as version ranges: no range was resolved (no metadata fetched)
        for (String ranged : List.of("com/google/guava/guava", "org/apache/commons/commons-math3",
                "com/fasterxml/jackson/core/jackson-annotations")) {
            Path folder = freshRepository.resolve(ranged);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    assertThat(files.map(file -> file.getFileName().toString()))
                            .as("version-range metadata in %s", folder).noneMatch(name -> name.startsWith("maven-metadata"));
                }
            }
        }
        for (String artifactId : List.of("inference-bom", "inference-core", "storage-nas")) {
            Path origin = freshRepository.resolve(GROUP_PATH + artifactId + "/" + releaseVersion + "/_remote.repositories");
            assertThat(Files.readString(origin)).as("where %s came from (%s)", artifactId, origin).contains(">pronto-nexus=");
        }

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                project.resolve("target/classes") + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, classpath),
                "example.consumer.ScoreIris",
                ProjectLayout.root().resolve("examples/models").toString(), "iris/model.pmml"));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as("consumer run:\n%s", output).isZero();

        // found through ServiceLoader in the two published jars the consumer depends on: the schemes of
        // storage-nas and the PMML format of inference-core, nothing else
        assertThat(output.lines()).contains("schemes=[file, nas]", "formats=[pmml]");
        // and the same answer as this build's own engine gives
        try (InferenceEngine engine = InferenceEngine.create(Map.of(
                "storage.nas.root", ProjectLayout.root().resolve("examples/models").toString()))) {
            Prediction expected = engine.predict("iris/model.pmml", SETOSA);
            assertThat(output.lines()).contains(
                    "prediction=" + expected.value(),
                    "probabilities=" + expected.probabilities());
        }
    }

    @Test
    @Order(4)
    void redeployingAReleaseIsRefusedByNexus() {
        MavenRun redeploy = deploy("redeploy-release", "settings-deploy.xml", "-pl", "inference-bom");
        assertThat(redeploy.exitCode()).as("redeploy of %s, %s", releaseVersion, redeploy.describe()).isNotZero();
        assertThat(redeploy.output()).as(redeploy.describe()).contains("status code: 400").contains("cannot be updated");
    }

    @Test
    @Order(5)
    void aWrongPasswordIsRefusedByNexus() {
        MavenRun deploy = deploy("deploy-wrong-password", "settings-wrong-password.xml", "-pl", "inference-bom");
        assertThat(deploy.exitCode()).as(deploy.describe()).isNotZero();
        assertThat(deploy.output()).as(deploy.describe()).contains("status code: 401");
    }

    private static MavenRun deploy(String name, String settings, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "-s", work.resolve(settings).toString(),
                "-Dmaven.repo.local=" + System.getProperty("pronto.localRepository"),
                "-Dpronto.nexus.url=" + nexus.uri(),
                "-DskipTests", "-Dpronto.skipNexus=true", "-Dmaven.install.skip=true"));
        if (extra.length == 0) {
            arguments.addAll(List.of("-pl", "!distribution-tests"));
        }
        arguments.addAll(List.of(extra));
        arguments.add("deploy");
        return MavenRun.run(sources, work.resolve("logs/" + name + ".log"), arguments);
    }

    private static void writeSettings(Path file, String password) throws IOException {
        Files.writeString(file, """
                <settings>
                  <servers>
                    <server><id>pronto-releases</id><username>%1$s</username><password>%2$s</password></server>
                    <server><id>pronto-snapshots</id><username>%1$s</username><password>%2$s</password></server>
                  </servers>
                </settings>
                """.formatted(Nexus.USER, password));
    }

    private static List<String> jarModules() {
        return ProjectLayout.publishedModules().stream()
                .filter(module -> ProjectLayout.packaging(module).equals("jar"))
                .toList();
    }

    /** The jars in the module's target folder whose names start with {@code prefix}. */
    private static List<Path> builtJars(Path module, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(module.resolve("target"))) {
            return files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".jar");
            }).sorted().toList();
        }
    }

    /** The timestamped version of the newest snapshot, from the version's maven-metadata.xml. */
    private static String latestSnapshot(String artifactId) throws Exception {
        String path = "/repository/maven-snapshots/" + GROUP_PATH + artifactId + "/" + snapshotVersion + "/maven-metadata.xml";
        HttpResponse<byte[]> metadata = nexus.get(path);
        assertThat(metadata.statusCode()).as("GET %s", path).isEqualTo(200);
        NodeList values = ProjectLayout.parse(metadata.body()).getElementsByTagName("snapshotVersion");
        for (int i = 0; i < values.getLength(); i++) {
            Element entry = (Element) values.item(i);
            if (ProjectLayout.child(entry, "extension").orElseThrow().getTextContent().equals("jar")) {
                return ProjectLayout.child(entry, "value").orElseThrow().getTextContent();
            }
        }
        throw new AssertionError("no jar in " + path);
    }

    /** Rewrites the version of every POM in the copied tree, as the release plugin would. */
    private static void setVersion(Path tree, String from, String to) throws IOException {
        List<Path> poms = new ArrayList<>();
        poms.add(tree.resolve("pom.xml"));
        ProjectLayout.modules().forEach(module -> poms.add(tree.resolve(module).resolve("pom.xml")));
        for (Path pom : poms) {
            String text = Files.readString(pom);
            Files.writeString(pom, text.replace("<version>" + from + "</version>", "<version>" + to + "</version>"));
        }
    }

    private static List<String> entries(byte[] jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
