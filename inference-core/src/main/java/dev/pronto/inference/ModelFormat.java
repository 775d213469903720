package dev.pronto.inference;

import java.util.Locale;
import java.util.Objects;

/**
 * The name of a model format that a pipeline provider registers, such as {@code pmml} or
 * {@code sklearn}: passed to {@link InferenceEngine} to load a model with that format's pipeline
 * whatever its file extension.
 *
 * <p>Names are compared in lower case, so {@code ModelFormat.of("PMML")} equals {@link #PMML}.
 * Whether a provider registers the format is checked by the engine when the format is used.
 * Immutable.
 *
 * @param name the format name in lower case, without surrounding blanks
 */
public record ModelFormat(String name) {

    /** PMML documents, read by the pipeline built into the core library. */
    public static final ModelFormat PMML = new ModelFormat("pmml");

    /**
     * Normalizes the name to lower case and rejects null and blank names.
     *
     * @throws IllegalArgumentException if the name is blank or holds characters other than letters,
     *     digits, {@code -} and {@code _}
     */
    public ModelFormat {
        Objects.requireNonNull(name, "name");
        name = name.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
            throw new IllegalArgumentException("a model format name is letters, digits, '-' and '_', not \"" + name + "\"");
        }
    }

    /** The format of the given name, in any case. */
    public static ModelFormat of(String name) {
        return new ModelFormat(name);
    }

    /** The name. */
    @Override
    public String toString() {
        return name;
    }
}
