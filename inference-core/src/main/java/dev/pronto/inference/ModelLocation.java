package dev.pronto.inference;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a model is stored: a storage scheme, a container within it (bucket, blob container or NAS
 * share; empty for the local model root) and a path within the container.
 *
 * <p>{@link #parse(String)} accepts short forms ({@code /s3-bucket/key}) and URI forms:
 * <table>
 *   <caption>Accepted location forms</caption>
 *   <tr><th>Text</th><th>scheme</th><th>container</th><th>path</th></tr>
 *   <tr><td>{@code /s3-bucket/models/iris.pmml}, {@code s3://bucket/models/iris.pmml}</td><td>s3</td><td>bucket</td><td>models/iris.pmml</td></tr>
 *   <tr><td>{@code /az-container/iris.pmml}, {@code az://container/iris.pmml}</td><td>az</td><td>container</td><td>iris.pmml</td></tr>
 *   <tr><td>{@code /nas-share/iris.pmml}, {@code nas://share/iris.pmml}</td><td>nas</td><td>share</td><td>iris.pmml</td></tr>
 *   <tr><td>{@code iris/model.pmml}, {@code file:iris/model.pmml}</td><td>file</td><td>(empty)</td><td>iris/model.pmml</td></tr>
 *   <tr><td>{@code file:///srv/models/iris.pmml}</td><td>file</td><td>(empty)</td><td>/srv/models/iris.pmml</td></tr>
 * </table>
 * A bare relative name resolves under the default local model root. Paths are normalised
 * ({@code a//b} and {@code ./} collapse); {@code ..} segments, backslashes, control characters,
 * query strings, fragments and credentials or ports in a URI are rejected before any storage is
 * asked, so a location can never name something outside its container. Whether the container
 * itself is allowed is decided by the storage provider.
 *
 * <p>Instances are immutable values; equal locations have equal {@link #toString()} forms.
 *
 * @param scheme lower-case storage scheme, e.g. {@code s3}
 * @param container bucket, container or share; empty for the local model root
 * @param path normalised path inside the container; absolute only for {@code file:///} locations
 */
public record ModelLocation(String scheme, String container, String path) {

    private static final Pattern SEED_FORM = Pattern.compile("^/?(s3|az|nas)-([^/]+)/(.+)$");
    private static final Pattern URI_FORM = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/]*)/(.+)$");
    private static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*$");
    private static final Pattern CONTAINER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");
    private static final Pattern ANY_SCHEME_PREFIX = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    /** The {@link InferenceException#field() field} named by errors about a location. */
    public static final String FIELD = "location";
    /** Longest location text accepted; far above any real key, far below anything abusive. */
    public static final int MAX_LENGTH = 1024;

    /**
     * Validates the components.
     *
     * @throws InferenceException with category {@link ErrorCategory#INVALID_REQUEST} if a component is malformed
     */
    public ModelLocation {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(path, "path");
        if (!SCHEME.matcher(scheme).matches()) {
            throw invalid(scheme, "the scheme must be lower-case letters, digits, '+', '-' or '.'");
        }
        if (!container.isEmpty() && !CONTAINER.matcher(container).matches()) {
            throw invalid(container, "the bucket, container or share name may hold only letters, digits, '.', '_' and '-'");
        }
        path = normalisePath(path, scheme.equals("file"));
    }

    /**
     * Parses a location in any of the accepted forms.
     *
     * @param text the location as a client sent it
     * @return the parsed location
     * @throws InferenceException with category {@link ErrorCategory#INVALID_REQUEST} if the text is
     *     empty, too long, or names a path that could leave its container
     */
    public static ModelLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST, "model location is empty", FIELD, -1, null);
        }
        if (text.length() > MAX_LENGTH) {
            throw new InferenceException(ErrorCategory.INVALID_REQUEST,
                    "model location is longer than " + MAX_LENGTH + " characters", FIELD, -1, null);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid(text, "it contains a control character");
            }
            if (c == '\\') {
                throw invalid(text, "it contains a backslash");
            }
            if (c == '?' || c == '#') {
                throw invalid(text, "query strings and fragments are not part of a model location");
            }
        }
        var seed = SEED_FORM.matcher(text);
        if (seed.matches()) {
            return new ModelLocation(seed.group(1), seed.group(2), seed.group(3));
        }
        var uri = URI_FORM.matcher(text);
        if (uri.matches()) {
            String scheme = uri.group(1).toLowerCase(Locale.ROOT);
            String authority = uri.group(2);
            if (authority.contains("@") || authority.contains(":")) {
                throw invalid(text, "credentials and ports are not allowed in a model location");
            }
            if (scheme.equals("file")) {
                if (!authority.isEmpty()) {
                    throw invalid(text, "file locations take the form file:///absolute/path or file:relative/path");
                }
                return new ModelLocation("file", "", "/" + uri.group(3));
            }
            return new ModelLocation(scheme, authority, uri.group(3));
        }
        if (text.startsWith("file:")) {
            String rest = text.substring("file:".length());
            if (rest.startsWith("/")) {
                throw invalid(text, "file locations take the form file:///absolute/path or file:relative/path");
            }
            return new ModelLocation("file", "", rest);
        }
        if (text.startsWith("/")) {
            throw invalid(text, "absolute paths must be given as file:///path, or under a share as /nas-<share>/path");
        }
        if (ANY_SCHEME_PREFIX.matcher(text).matches()) {
            throw invalid(text, "expected scheme://container/path");
        }
        return new ModelLocation("file", "", text);
    }

    /** Whether this location is a path relative to the default local model root. */
    public boolean isRelativeToDefaultRoot() {
        return scheme.equals("file") && !path.startsWith("/");
    }

    /** The last path segment, e.g. {@code model.pmml}. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The file name's extension in lower case without the dot, or an empty string. */
    public String extension() {
        String name = fileName();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The canonical text form: {@code scheme://container/path}, {@code file:relative} or {@code file:///absolute}. */
    @Override
    public String toString() {
        if (scheme.equals("file")) {
            return path.startsWith("/") ? "file://" + path : "file:" + path;
        }
        return scheme + "://" + container + "/" + path;
    }

    private static String normalisePath(String path, boolean mayBeAbsolute) {
        // only file locations have absolute paths; elsewhere a leading '/' is a redundant separator
        boolean absolute = mayBeAbsolute && path.startsWith("/");
        StringBuilder normal = new StringBuilder(path.length());
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw invalid(path, "'..' segments are not allowed");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\') {
                    throw invalid(path, "it contains a control character or a backslash");
                }
            }
            if (normal.length() > 0 || absolute) {
                normal.append('/');
            }
            normal.append(segment);
        }
        if (normal.length() == 0 || normal.toString().equals("/")) {
            throw invalid(path, "it names no file");
        }
        return normal.toString();
    }

    private static InferenceException invalid(String text, String reason) {
        return new InferenceException(ErrorCategory.INVALID_REQUEST,
                "invalid model location \"" + text + "\": " + reason, FIELD, -1, null);
    }
}
