package dev.pronto.storage.azure.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link Azurite} parameters with one server shared by every test class of the run; JUnit
 * stops it when the run ends. Tests that stop a server start their own with {@link Azurite#start()}.
 *
 * <pre>{@code
 * @ExtendWith(SharedAzurite.class)
 * class MyIT {
 *     @Test
 *     void servesFromAzure(Azurite azurite) { ... azurite.endpoint() ... }
 * }
 * }</pre>
 */
public final class SharedAzurite implements ParameterResolver {

    /** Used by JUnit through {@code @ExtendWith}. */
    public SharedAzurite() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(Azurite.class))
                .getOrComputeIfAbsent("shared", key -> Azurite.start(), Azurite.class);
    }
}
