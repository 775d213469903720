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
    void bomPinsWhatJpmmlDeclaresAsVersionRangesToTheVersionsWeBuildWith() {
        Element properties = ProjectLayout.child(ProjectLayout.pom(ProjectLayout.root().resolve("pom.xml"))
                .getDocumentElement(), "properties").orElseThrow();
        Element managed = ProjectLayout.child(ProjectLayout.pomOf("inference-bom"), "dependencyManagement").orElseThrow();
        for (String[] pin : new String[][] {{"guava", "guava.version"}, {"commons-math3", "commons-math3.version"}}) {
            String ours = ProjectLayout.child(properties, pin[1]).orElseThrow().getTextContent().trim();
            assertThat(managedVersion(managed, pin[0])).as("%s in inference-bom/pom.xml", pin[0]).isEqualTo(ours);
        }
    }

    @Test
    void distributionTestsDependOnEveryPublishedModule() {
        List<String> dependencies = artifactIds(ProjectLayout.pomOf("distribution-tests"));
        List<String> published = ProjectLayout.publishedModules().stream().map(ProjectLayout::artifactId).toList();
        assertThat(dependencies).as("dependencies in distribution-tests/pom.xml (add new modules with <scope>test</scope>)")
                .containsAll(published);
    }

    private static String managedVersion(Element dependencyManagement, String artifactId) {
        Element dependencies = ProjectLayout.child(dependencyManagement, "dependencies").orElseThrow();
        for (var node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element dependency && ProjectLayout.child(dependency, "artifactId")
                    .map(id -> id.getTextContent().trim().equals(artifactId)).orElse(false)) {
                return ProjectLayout.child(dependency, "version").orElseThrow().getTextContent().trim();
            }
        }
        throw new AssertionError("inference-bom does not manage " + artifactId);
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
