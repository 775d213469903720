package dev.pronto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.FolderEntry;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;

/**
 * Reads the layout of a versioned model's folder, {@code <root>/<name>/<version>/<model file>}, as
 * Triton and TF Serving lay it out: version folders are named by a number; other entries are
 * ignored. Stateless; every call lists the store through the engine.
 */
final class VersionFolder {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    private VersionFolder() {
    }

    /**
     * The numbered version folders inside {@code folder}, by version; of two folders naming one number
     * ({@code 1} and {@code 01}) the first in name order counts.
     *
     * @throws InferenceException if the folder cannot be listed
     */
    static SortedMap<Long, String> versions(InferenceEngine engine, String folder) {
        SortedMap<Long, String> versions = new TreeMap<>();
        for (FolderEntry entry : engine.list(folder)) {
            if (entry.folder() && NUMBER.matcher(entry.name()).matches()) {
                versions.putIfAbsent(Long.parseLong(entry.name()), entry.name());
            }
        }
        return versions;
    }

    /**
     * The location of the model file in a version folder: its only file, or else its only file named
     * {@code model.<extension>}, as Triton names them. Names starting with {@code .} are not models.
     *
     * @throws InferenceException {@code INVALID_MODEL} when the folder holds no such file or several, or
     *     as {@link InferenceEngine#list} when it cannot be listed
     */
    static String modelFile(InferenceEngine engine, String folder, String versionFolder) {
        String location = ModelLocation.parse(folder).toString() + "/" + versionFolder;
        List<String> files = new ArrayList<>();
        for (FolderEntry entry : engine.list(location)) {
            if (!entry.folder() && !entry.name().startsWith(".")) {
                files.add(entry.name());
            }
        }
        List<String> named = files.stream().filter(file -> file.startsWith("model.")).toList();
        List<String> chosen = files.size() == 1 ? files : named;
        if (chosen.size() != 1) {
            throw new InferenceException(ErrorCategory.INVALID_MODEL, "version folder \"" + location + "\" holds "
                    + (files.isEmpty() ? "no model file" : files.size() + " files " + files + " and "
                            + (named.isEmpty() ? "none" : "several") + " named model.<extension>"));
        }
        return location + "/" + chosen.get(0);
    }
}
