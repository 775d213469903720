package dev.pronto.server;

import java.util.Optional;
import java.util.Set;

import dev.pronto.inference.ModelFormat;

/**
 * The seed contract's rule for its free-text {@code implementation} label: a label naming a
 * registered pipeline format (ignoring case and surrounding blanks) selects that format; any other
 * label ({@code "Logistic Regression"}), or none, leaves the choice to the model file's extension.
 *
 * <p>Immutable and thread-safe. Runs on every request, so it compares without allocating.
 */
final class FormatLabels {

    private final String[] names;
    private final Optional<ModelFormat>[] formats;

    /** @param formats the engine's registered formats, in lower case */
    @SuppressWarnings("unchecked")
    FormatLabels(Set<String> formats) {
        this.names = formats.toArray(new String[0]);
        this.formats = new Optional[names.length];
        for (int i = 0; i < names.length; i++) {
            this.formats[i] = Optional.of(ModelFormat.of(names[i]));
        }
    }

    /**
     * The format the label names.
     *
     * @param label the request's {@code implementation}, or {@code null} when it has none
     * @return the format, or empty to choose by file extension
     */
    Optional<ModelFormat> formatNamedBy(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String name = label.strip(); // returns the label itself unless it has surrounding blanks
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return formats[i];
            }
        }
        return Optional.empty();
    }
}
