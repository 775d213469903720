package dev.pronto.distribution;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checked-out repository as the tests see it: its root, its modules and their POMs.
 *
 * <p>The root comes from the system property {@code pronto.root}, which the build sets.
 */
final class ProjectLayout {
    private ProjectLayout() {
    }

    static Path root() {
        String root = System.getProperty("pronto.root");
        if (root == null) {
            throw new IllegalStateException("system property pronto.root is not set: run the tests through Maven");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** The modules listed in the root POM, in declaration order. */
    static List<String> modules() {
        return childTexts(pom(root().resolve("pom.xml")).getDocumentElement(), "modules", "module");
    }

    /** The modules whose artifacts users get: those that do not set {@code maven.deploy.skip}. */
    static List<String> publishedModules() {
        return modules().stream().filter(module -> !deploySkipped(module)).toList();
    }

    private static boolean deploySkipped(String module) {
        return child(pomOf(module), "properties").flatMap(properties -> child(properties, "maven.deploy.skip"))
                .map(skip -> skip.getTextContent().trim().equals("true")).orElse(false);
    }

    static Element pomOf(String module) {
        return pom(root().resolve(module).resolve("pom.xml")).getDocumentElement();
    }

    static String packaging(String module) {
        return child(pomOf(module), "packaging").map(Node::getTextContent).orElse("jar");
    }

    static String artifactId(String module) {
        return child(pomOf(module), "artifactId").orElseThrow().getTextContent().trim();
    }

    static Document pom(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + e.getMessage(), e);
        }
    }

    static Optional<Element> child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    /** The text of every {@code <item>} directly inside {@code <container>} directly inside {@code parent}. */
    static List<String> childTexts(Element parent, String container, String item) {
        List<String> texts = new ArrayList<>();
        child(parent, container).ifPresent(element -> {
            NodeList children = element.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element child && child.getTagName().equals(item)) {
                    texts.add(child.getTextContent().trim());
                }
            }
        });
        return texts;
    }

    /**
     * Copies the source tree (no {@code target/} folders, no VCS metadata) so that a nested build
     * neither disturbs nor reuses the outer build's output.
     */
    static void copySources(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(from) && excluded(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!excluded(file.getFileName().toString())) {
                        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean excluded(String name) {
        return name.equals("target") || name.equals(".git") || name.equals("node_modules") || name.equals(".idea");
    }
}
