package dev.pronto.distribution;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the two lists a new module must join: the BOM users import, and this module's dependencies
 * (which make the reactor build every published module before the distribution tests compare and
 * publish them).
 */
class BuildLayoutTest {

    @Test
    void bomManagesEveryPublishedJarModule() {
        Element bom = ProjectLayout.pomOf("inference-bom");
        Element managed = ProjectLayout.child(bom, "dependencyManagement").orElseThrow();
        List<String> listed = artifactIds(managed);
        List<String> jars = ProjectLayout.publishedModules().stream()
                .filter(module -> ProjectLayout.packaging(module).equals("jar"))
                .map(ProjectLayout::artifactId)
                .toList();
        assertThat(jars).as("published jar modules").contains("inference-core", "storage-nas");
        assertThat(listed).as("artifacts in inference-bom/pom.xml <dependencyManagement>").containsAll(jars);
    }

    @Test
    void bomPinsThirdPartyArtifactsToTheVersionsOurBuildUses() {
        // this test runs on inference-core's runtime classpath as our build resolved it
        List<String> classpath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        Element managed = ProjectLayout.child(ProjectLayout.pomOf("inference-bom"), "dependencyManagement").orElseThrow();
        Element dependencies = ProjectLayout.child(managed, "dependencies").orElseThrow();
        int pinned = 0;
        for (var node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element dependency
                    && !ProjectLayout.child(dependency, "groupId").orElseThrow().getTextContent().trim().equals("dev.pronto")) {
                String artifactId = ProjectLayout.child(dependency, "artifactId").orElseThrow().getTextContent().trim();
                String version = ProjectLayout.child(dependency, "version").orElseThrow().getTextContent().trim();
                assertThat(classpath).as("%s %s pinned in inference-bom/pom.xml, on our classpath", artifactId, version)
                        .anyMatch(entry -> entry.endsWith(java.io.File.separator + artifactId + "-" + version + ".jar"));
                pinned++;
            }
        }
        assertThat(pinned).as("third-party pins in the BOM").isEqualTo(3);
    }

    @Test
    void distributionTestsDependOnEveryPublishedModule() {
        List<String> dependencies = artifactIds(ProjectLayout.pomOf("distribution-tests"));
        List<String> published = ProjectLayout.publishedModules().stream().map(ProjectLayout::artifactId).toList();
        assertThat(dependencies).as("dependencies in distribution-tests/pom.xml (add new modules with <scope>test</scope>)")
                .containsAll(published);
    }

    private static List<String> artifactIds(Element parent) {
        List<String> ids = new ArrayList<>();
        ProjectLayout.child(parent, "dependencies").ifPresent(dependencies -> {
            for (var node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element dependency && dependency.getTagName().equals("dependency")) {
                    ProjectLayout.child(dependency, "artifactId").ifPresent(id -> ids.add(id.getTextContent().trim()));
                }
            }
        });
        return ids;
    }
}
