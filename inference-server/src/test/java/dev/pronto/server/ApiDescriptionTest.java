package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code /openapi.json}, the per-model description and the {@code /docs} page's files, over a real socket. */
class ApiDescriptionTest {

    @RegisterExtension
    static final ServedBy IRIS = ServedBy.perClass(root -> TestServer.iris(root, ServerSettings.defaults()));

    @Test
    void describesEveryEndpointOfEveryProtocol(TestServer server) {
        TestServer.Response response = server.get("/openapi.json");

        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> paths = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrder("/invocations", "/ping", "/health/live", "/health/ready", "/version", "/models",
                "/models/{name}", "/models/{name}/pmml", "/models/{name}/openapi.json", "/openapi.json", "/docs",
                "/v1/models", "/v1/models/{name}", "/v1/models/{name}:predict", "/v2", "/v2/health/live",
                "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/ready",
                "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/infer",
                "/v2/models/{name}/versions/{version}/infer", "/v2/repository/index", "/v2/repository/models/{name}/load",
                "/v2/repository/models/{name}/unload");
        // every path answers something other than "no endpoint" (404 with our own message)
        for (String path : paths) {
            String concrete = path.replace("{name}", "iris").replace("{version}", "1");
            JsonNode operations = document.get("paths").get(path);
            TestServer.Response answer = operations.has("get") ? server.get(concrete) : server.post(concrete, "{}");
            assertThat(answer.body()).as(path).doesNotContain("no endpoint");
        }
    }

    @Test
    void aModelsDescriptionListsItsInputFieldsWithTypes(TestServer server) {
        TestServer.Response response = server.get("/models/iris/openapi.json");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode record = response.json().get("components").get("schemas").get("Record").get("properties");
        assertThat(record.get("sepal_length").get("type").toString()).isEqualTo("[\"number\",\"null\"]");
        List<String> fields = new ArrayList<>();
        record.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(response.json().get("paths").has("/v2/models/iris/infer")).isTrue();
        assertThat(server.get("/models/nope/openapi.json").status()).isEqualTo(404);
    }

    @Test
    void theDocsPageAndSwaggerUiComeFromTheServerItself(TestServer server) {
        TestServer.Response page = server.get("/docs");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).doesNotContain("https://", "http://").contains("/webjars/swagger-ui/");
        String bundle = page.body().replaceAll("(?s).*src=\"(/webjars/swagger-ui/[^\"]+/swagger-ui-bundle.js)\".*", "$1");
        TestServer.Response script = server.get(bundle);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.body()).contains("SwaggerUIBundle");
        String css = bundle.replace("swagger-ui-bundle.js", "swagger-ui.css");
        assertThat(server.get(css).header("Content-Type")).startsWith("text/css");
        assertThat(server.get("/docs/init.js").body()).contains("/openapi.json");
    }

    @Test
    void onlySwaggerUiFilesAreServedUnderWebjars(TestServer server) {
        String version = server.get("/docs").body().replaceAll("(?s).*/webjars/swagger-ui/([^/\"]+)/swagger-ui-bundle.js.*", "$1");

        for (String path : List.of("/webjars/swagger-ui/" + version + "/nope.js", "/webjars/swagger-ui/0.0.1/swagger-ui.css",
                "/webjars/jquery/" + version + "/jquery.js")) {
            TestServer.Response response = server.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.json().get("error").get("code").asText()).as(path).isEqualTo("not_found");
        }
    }
}
