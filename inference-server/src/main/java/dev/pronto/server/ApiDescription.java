package dev.pronto.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The description of Pronto's HTTP API: {@code GET /openapi.json} (OpenAPI 3.1, every endpoint),
 * {@code GET /models/{name}/openapi.json} (one model's requests with its input fields, see
 * {@link ModelOpenApi}) and {@code GET /docs}, Swagger UI over the former, whose files come from the
 * {@code org.webjars:swagger-ui} jar under {@code /webjars/swagger-ui/<version>/}. The documents are
 * read from the class path once, at startup; Swagger UI's files when asked for.
 *
 * <p>Swagger UI's files are served here rather than by Javalin's webjar handler: that handler makes Jetty
 * mount the class path's jars as zip file systems, which for the server's one large jar held some 30 MB of
 * heap in their indexes, all the time, and cost start-up time to build them.
 */
final class ApiDescription {

    private static final String RESOURCES = "/dev/pronto/server/";
    private static final String SWAGGER_UI_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String SWAGGER_UI_FILES = "/META-INF/resources/webjars/swagger-ui/";
    /** The names Swagger UI's files have: one path segment, no way up or out of its folder. */
    private static final Pattern SWAGGER_UI_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "png", "image/png",
            "map", "application/json", "txt", "text/plain; charset=utf-8");

    private final ModelRepository repository;
    private final byte[] openApi;
    private final byte[] page;
    private final byte[] init;
    private final String swaggerUiVersion;

    ApiDescription(ModelRepository repository) {
        this.repository = repository;
        this.openApi = read("openapi.json").replace("\"VERSION\"", "\"" + OpenInferenceRoutes.serverVersion() + "\"")
                .getBytes(StandardCharsets.UTF_8);
        this.swaggerUiVersion = swaggerUiVersion();
        this.page = read("docs.html").replace("SWAGGER_UI_VERSION", swaggerUiVersion).getBytes(StandardCharsets.UTF_8);
        this.init = read("docs-init.js").getBytes(StandardCharsets.UTF_8);
    }

    /** Registers the routes; {@code /models/{name}/openapi.json} must come before {@code /models/<name>}. */
    void register(RoutesConfig routes) {
        routes.get("/openapi.json", ctx -> send(ctx, "application/json", openApi));
        routes.get("/docs", ctx -> send(ctx, "text/html; charset=utf-8", page));
        routes.get("/docs/init.js", ctx -> send(ctx, "text/javascript; charset=utf-8", init));
        routes.get("/webjars/swagger-ui/{version}/{file}", this::swaggerUiFile);
        routes.get("/models/{name}/openapi.json", this::modelDocument);
    }

    private void modelDocument(Context ctx) throws IOException {
        String name = ctx.pathParam("name");
        ModelNames.Entry entry = repository.find(name, null);
        ServerApp.writeJson(ctx, ModelOpenApi.document(name, repository.info(entry).schema(), OpenInferenceRoutes.serverVersion()));
    }

    private void swaggerUiFile(Context ctx) {
        String version = ctx.pathParam("version");
        String file = ctx.pathParam("file");
        InputStream in = version.equals(swaggerUiVersion) && SWAGGER_UI_FILE.matcher(file).matches()
                ? ApiDescription.class.getResourceAsStream(SWAGGER_UI_FILES + version + "/" + file) : null;
        if (in == null) {
            throw new ApiException(404, "not_found", "no file " + ctx.path() + "; the API description is at /docs");
        }
        String extension = file.substring(file.lastIndexOf('.') + 1);
        // the version is part of the path, so a file never changes under it
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.status(200).contentType(TYPES.getOrDefault(extension, "application/octet-stream")).result(in);
    }

    private static void send(Context ctx, String type, byte[] body) throws IOException {
        ctx.status(200).contentType(type);
        ctx.outputStream().write(body);
    }

    private static String read(String name) {
        try (InputStream in = ApiDescription.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webjar's version, which is part of its files' paths. */
    private static String swaggerUiVersion() {
        try (InputStream in = ApiDescription.class.getResourceAsStream(SWAGGER_UI_POM)) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is missing from the class path");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
