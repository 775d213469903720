package dev.pronto.server;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

import dev.pronto.inference.spi.StorageProvider;

/**
 * The storage providers on the class path, by name, with the properties each declares secret
 * ({@link StorageProvider#secretPropertyNames()}): the server maps a seed key only to a provider
 * that is installed, and masks the values of secret engine keys wherever configuration is shown.
 *
 * @param secrets provider name → names of its secret properties, without the {@code storage.<name>.} prefix
 */
record InstalledStorage(Map<String, Set<String>> secrets) {

    InstalledStorage {
        secrets = Collections.unmodifiableMap(new TreeMap<>(secrets));
    }

    /** The providers that {@link ServiceLoader} finds beside the server. */
    static InstalledStorage discover() {
        Map<String, Set<String>> secrets = new TreeMap<>();
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, InstalledStorage.class.getClassLoader())) {
            secrets.put(provider.name(), Set.copyOf(provider.secretPropertyNames()));
        }
        return new InstalledStorage(secrets);
    }

    /** Providers with these names and no secret properties, for tests. */
    static InstalledStorage named(String... names) {
        Map<String, Set<String>> secrets = new TreeMap<>();
        Arrays.stream(names).forEach(name -> secrets.put(name, Set.of()));
        return new InstalledStorage(secrets);
    }

    boolean contains(String provider) {
        return secrets.containsKey(provider);
    }

    /** Whether an engine key ({@code storage.azure.sas-token}) is a property its provider declares secret. */
    boolean isSecret(String engineKey) {
        for (Map.Entry<String, Set<String>> provider : secrets.entrySet()) {
            String prefix = "storage." + provider.getKey() + ".";
            if (engineKey.startsWith(prefix) && provider.getValue().contains(engineKey.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    Set<String> names() {
        return secrets.keySet();
    }
}
