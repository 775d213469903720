package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.internal.StorageFactory;
import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;

/**
 * Every engine key that {@link SeedStorageKeys} maps a seed key to is one its storage provider
 * knows. Runs for the providers on the server's class path; a provider that is not installed is
 * skipped (its keys are then ignored with a warning, see {@link ServerConfigTest}).
 */
class SeedStorageKeysTest {

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyMappedKeyIsKnownToItsProvider() {
        return SeedStorageKeys.MAPPINGS.stream().filter(mapping -> mapping.engineKey() != null)
                .map(mapping -> DynamicTest.dynamicTest(mapping.section() + " " + mapping.key(), () -> check(mapping)));
    }

    private void check(SeedStorageKeys.Mapping mapping) throws Exception {
        StorageProvider provider = provider(mapping.provider());
        assumeTrue(provider != null, "storage \"" + mapping.provider() + "\" is not on the class path");
        String prefix = "storage." + mapping.provider() + ".";
        assertThat(mapping.engineKey()).startsWith(prefix);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(mapping.engineKey().substring(prefix.length()),
                mapping.key().endsWith("folder_path") ? dir.toString() : "value-" + mapping.key());
        // as the engine creates it: the file cache's keys (local-folder) are the engine's, not the provider's
        try (Storage storage = StorageFactory.create(provider, properties)) {
            assertThat(storage).isNotNull();
        } catch (RuntimeException e) {
            // other keys may be required together with this one; what must not happen is a refusal of the key itself
            assertThat(e.getMessage()).doesNotContain("unknown configuration key");
        }
    }

    private static StorageProvider provider(String name) {
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class)) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        return null;
    }
}
