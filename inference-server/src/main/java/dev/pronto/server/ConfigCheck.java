package dev.pronto.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.ModelLocation;

/**
 * {@code --check-config}: everything a start does before it listens, and a little more, without
 * listening. It builds the engine from the configuration, loads and warms every {@code [Models]}
 * entry (which reaches its storage), and reaches every allowed S3 bucket and Azure container that no
 * model lives in by asking for an object that does not exist: "not found" proves the store answered
 * and the credentials were accepted.
 */
final class ConfigCheck {

    /** The probe object; its {@code .pmml} extension lets the engine go straight to the store. */
    static final String PROBE = "pronto-check-config.pmml";

    private ConfigCheck() {
    }

    /**
     * Runs the check on an engine built from {@code config}.
     *
     * @return one line saying what was checked
     * @throws ConfigException with the reason on one line, naming the setting involved
     */
    static String run(ServerConfig config, InferenceEngine engine) {
        Set<String> reached = new LinkedHashSet<>();
        for (Map.Entry<String, String> model : config.settings().models().entrySet()) {
            try {
                if (config.settings().versions().policies().containsKey(model.getKey())) {
                    // a folder of versions: that it can be listed is what startup needs
                    VersionFolder.versions(engine, model.getValue());
                    continue;
                }
                ModelInfo info = engine.model(model.getValue());
                reached.add(info.location().scheme() + "://" + info.location().container());
            } catch (InferenceException e) {
                throw new ConfigException("[Models] " + model.getKey() + ": cannot load the model: " + e.getMessage());
            }
        }
        List<String> probed = new ArrayList<>();
        probe(config, engine, "s3", EngineKeys.S3_BUCKETS, reached, probed);
        probe(config, engine, "az", EngineKeys.AZURE_CONTAINERS, reached, probed);
        return "configuration OK: " + config.settings().models().size() + " model(s) loaded"
                + (probed.isEmpty() ? "" : ", reached " + String.join(", ", probed));
    }

    private static void probe(ServerConfig config, InferenceEngine engine, String scheme, String allowKey, Set<String> reached,
            List<String> probed) {
        String allowed = config.engineConfig().get(allowKey);
        if (allowed == null || !engine.schemes().contains(scheme)) {
            return;
        }
        for (String container : Arrays.stream(allowed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            String location = scheme + "://" + container + "/" + PROBE;
            if (reached.contains(ModelLocation.parse(location).scheme() + "://" + container)) {
                continue;
            }
            try {
                engine.model(location);
            } catch (InferenceException e) {
                if (e.category() != ErrorCategory.NOT_FOUND) {
                    throw new ConfigException(config.engine().origins().get(allowKey) + ": cannot reach " + scheme + "://"
                            + container + ": " + e.getMessage());
                }
            }
            probed.add(scheme + "://" + container);
        }
    }
}
