package dev.pronto.distribution;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects in {@code deploy/kubernetes}, read from the files the kustomization lists.
 *
 * @param objects every object in file order
 */
record KubernetesManifests(List<JsonNode> objects) {
    static final Path FOLDER = ProjectLayout.root().resolve("deploy/kubernetes");

    static KubernetesManifests read() {
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : Yaml.single(FOLDER.resolve("kustomization.yaml")).path("resources")) {
            objects.addAll(Yaml.documents(FOLDER.resolve(resource.asText())));
        }
        return new KubernetesManifests(objects);
    }

    JsonNode only(String kind) {
        List<JsonNode> found = objects.stream().filter(object -> object.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    JsonNode container() {
        JsonNode containers = only("Deployment").path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError("expected one container in the Deployment, found " + containers.size());
        }
        return containers.get(0);
    }

    String env(String name) {
        for (JsonNode variable : container().path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError("the container sets no " + name);
    }

    /** The text a ConfigMap or Secret holds under {@code key} ({@code data} or {@code stringData}). */
    String file(String kind, String name, String key) {
        for (JsonNode object : objects) {
            if (object.path("kind").asText().equals(kind) && object.path("metadata").path("name").asText().equals(name)) {
                JsonNode value = object.path("stringData").path(key);
                if (value.isMissingNode()) {
                    value = object.path("data").path(key);
                }
                if (value.isMissingNode()) {
                    throw new AssertionError(kind + " " + name + " has no key " + key);
                }
                return value.asText();
            }
        }
        throw new AssertionError("no " + kind + " named " + name);
    }
}
