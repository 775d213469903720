package dev.pronto.storage.nas;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.spi.Storage;
import dev.pronto.inference.spi.StorageProvider;
import dev.pronto.inference.toolkit.InvalidPropertyException;
import dev.pronto.inference.toolkit.ProviderProperties;

/**
 * Models in local or mounted folders: the default local model root and named NAS shares.
 *
 * <p>Serves the schemes {@code file} (bare relative names, {@code file:relative},
 * {@code file:///absolute}) and {@code nas} (the seed's {@code /nas-<share>/path}). Configuration
 * (engine prefix {@code storage.nas.}):
 * <ul>
 *   <li>{@code root}: the default local model root, where bare names such as {@code iris/model.pmml}
 *       resolve; without it, bare names are refused;</li>
 *   <li>{@code share.<name>}: the folder of share {@code <name>}, for {@code /nas-<name>/path};
 *       a share that is not configured is refused.</li>
 * </ul>
 * The engine's local file cache ({@code storage.nas.local-folder}) is refused: these are files already.
 * Every configured folder must exist when the engine starts. A location can reach only files
 * inside these folders: {@code ..} is refused when the location is parsed, absolute paths must lie
 * inside one of them, and a symbolic link whose target leaves its folder is refused.
 */
public final class NasStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return "nas";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("file", "nas");
    }

    @Override
    public Storage create(Map<String, String> properties) {
        ProviderProperties config = new ProviderProperties("storage.nas.", properties);
        Path root = config.get("root").map(value -> folder(config, "root", value)).orElse(null);
        Map<String, Path> shares = new LinkedHashMap<>();
        config.withPrefix("share.").forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw config.invalid("share." + name, "a share name may hold only letters, digits, '.', '_' and '-'");
            }
            shares.put(name, folder(config, "share." + name, value));
        });
        config.rejectUnused();
        return new NasStorage(root, shares);
    }

    private static Path folder(ProviderProperties config, String key, String value) {
        try {
            Path path = Path.of(value).toAbsolutePath().normalize();
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path)) {
                throw config.invalid(key, "folder " + path + " does not exist");
            }
            return path.toRealPath();
        } catch (InvalidPathException | IOException e) {
            throw new InvalidPropertyException(config.fullKey(key), "not a usable folder: " + e.getMessage(), e);
        }
    }
}
