package dev.pronto.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests their {@link TestServer} as a parameter: started over a fresh model folder when a test
 * first asks for it, and stopped (its folder deleted) by JUnit when the test class ends, or, for a
 * server shared by several classes, when the run ends. It replaces each class's own temporary folder,
 * static field, start and stop.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServedBy IRIS = ServedBy.perClass(root -> TestServer.iris(root, ServerSettings.defaults()));
 *
 * @Test
 * void answers(TestServer server) { ... server.get("/ping") ... }
 * }</pre>
 */
final class ServedBy implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServedBy.class);

    private final Function<Path, TestServer> start;
    /** The key of a server shared by every class of the run that names it, or null for one per class. */
    private final String shared;

    private ServedBy(Function<Path, TestServer> start, String shared) {
        this.start = start;
        this.shared = shared;
    }

    /** One server for the tests of the class that registers this. */
    static ServedBy perClass(Function<Path, TestServer> start) {
        return new ServedBy(start, null);
    }

    /**
     * One server for every test class of the run that registers a {@code ServedBy} of this key; the
     * first class to ask starts it, so every class must start it alike.
     */
    static ServedBy shared(String key, Function<Path, TestServer> start) {
        return new ServedBy(start, key);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = shared != null ? context.getRoot() : classContext(context);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(shared != null ? shared : "server",
                key -> Started.start(start), Started.class).server();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** A started server and its folder; JUnit closes it with the store that holds it. */
    private record Started(Path root, TestServer server) implements AutoCloseable {

        static Started start(Function<Path, TestServer> start) {
            try {
                Path root = Files.createTempDirectory("pronto-test-models");
                return new Started(root, start.apply(root));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
