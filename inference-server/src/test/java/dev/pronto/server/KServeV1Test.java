package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** KServe's V1 protocol over a real socket, compared with {@code /invocations} on the same model. */
class KServeV1Test {

    @RegisterExtension
    static final ServedBy IRIS = ServedBy.perClass(root -> TestServer.iris(root, ServerSettings.defaults()));

    @Test
    void predictsInstancesGivenAsObjectsOrAsArraysInInputOrder(TestServer server) {
        JsonNode seed = server.post("/invocations", TestServer.SEED_EXAMPLE).json();

        TestServer.Response objects = server.post("/v1/models/iris:predict", """
                {"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                               {"sepal_length": 2.1, "sepal_width": 5.5, "petal_length": 6.4, "petal_width": 0.2}]}""");
        TestServer.Response arrays = server.post("/v1/models/iris:predict",
                "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [2.1, 5.5, 6.4, 0.2]]}");

        assertThat(objects.status()).as(objects.body()).isEqualTo(200);
        assertThat(objects.json().toString()).isEqualTo("{\"predictions\":" + seed.get("predictions") + "}");
        assertThat(arrays.json()).isEqualTo(objects.json());
    }

    @Test
    void outputFieldsGiveEveryFieldPerInstance(TestServer server) {
        TestServer.Response response = server.post("/v1/models/iris:predict",
                "{\"instances\": [[5.1, 3.5, 1.4, 0.2]], \"parameters\": {\"output_fields\": true}}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode fields = response.json().get("outputs").get(0);
        assertThat(fields.get("species").asInt()).isEqualTo(response.json().get("predictions").get(0).asInt());
        assertThat(fields.get("probability(0)").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void modelStatusAndList(TestServer server) {
        server.post("/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        assertThat(server.get("/v1/models/iris").json().toString()).isEqualTo("{\"name\":\"iris\",\"ready\":true}");
        assertThat(server.get("/v1/models").json().toString()).isEqualTo("{\"models\":[\"iris\"]}");
    }

    @Test
    void clientMistakesGetAnErrorMessageAndAStatusBelow500(TestServer server) {
        assertError(server.post("/v1/models/nope:predict", "{\"instances\": [[1]]}"), 404, "no model named \"nope\"");
        assertError(server.post("/v1/models/iris:explain", "{\"instances\": [[1]]}"), 404,
                "V1 predicts at POST /v1/models/{name}:predict");
        assertError(server.post("/v1/models/iris:predict", "{\"instances\": [[5.1, 3.5]]}"), 400,
                "instance 0 holds 2 values; the model reads 4, in this order: [sepal_length, sepal_width, petal_length, "
                        + "petal_width]");
        assertError(server.post("/v1/models/iris:predict", "{\"instances\": []}"), 400, "non-empty array");
        assertError(server.post("/v1/models/iris:predict", "{\"inputs\": [[1]]}"), 400, "unknown request field \"inputs\"");
        assertError(server.post("/v1/models/iris:predict", "{\"instances\": [{\"sepal_length\": [1]}]}"), 400,
                "instance 0, field \"sepal_length\": expected a number, string, boolean or null, not an array");
        // a well-formed request with a value the model refuses: 422, as for /invocations
        assertError(server.post("/v1/models/iris:predict", "{\"instances\": [[\"x\", 3.5, 1.4, 0.2]]}"), 422,
                "input field \"sepal_length\": value \"x\" is not accepted by the model");
        assertError(server.post("/v1/models/iris:predict", "not json"), 400, "not valid JSON");
    }

    private static void assertError(TestServer.Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().size()).isEqualTo(1);
        assertThat(response.json().get("error").asText()).contains(message).doesNotContain("Exception", "dev.pronto");
    }
}
