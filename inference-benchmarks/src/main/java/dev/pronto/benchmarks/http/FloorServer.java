package dev.pronto.benchmarks.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.javalin.Javalin;

/**
 * The HTTP floor that every server ratio in {@code bench/run.sh} is taken against: Javalin and
 * Jackson with no model. Each {@code POST /invocations} body is parsed into the contract's
 * request; the answer is a fixed body with as many rows as the payload (built once per row
 * count), so it has about the size of a real answer. Javalin's defaults otherwise.
 *
 * <p>The same server as {@code bench.FloorServer} in the project's shared peer kit, so that its
 * figures compare with the peers measured there.
 *
 * <pre>java -cp benchmarks.jar dev.pronto.benchmarks.http.FloorServer PORT</pre>
 */
public final class FloorServer {

    /** {"payload": [{feature: value}], "pipelineFilename": "...", "implementation": "..."} */
    record Request(List<Map<String, Object>> payload, String pipelineFilename, String implementation) {
    }

    /** {"predictions": [...], "predictions_prob": [[...]], "classes": [...]} */
    record Response(List<Object> predictions, List<double[]> predictions_prob, List<Object> classes) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private FloorServer() {
    }

    /** Serves on 127.0.0.1 at the port given as the only argument, until killed. */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Map<Integer, byte[]> answers = new ConcurrentHashMap<>();
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.routes.get("/ping", ctx -> ctx.contentType("application/json").result("Ok"));
            config.routes.post("/invocations", ctx -> {
                Request request = JSON.readValue(ctx.bodyInputStream(), Request.class);
                byte[] answer = answers.computeIfAbsent(request.payload().size(), FloorServer::fixedAnswer);
                ctx.contentType("application/json").result(answer);
            });
        }).start();
    }

    /** A setosa answer repeated {@code rows} times: the size of a real answer, without computing one. */
    static byte[] fixedAnswer(int rows) {
        double[] p = {0.9815917088187072, 0.0184082767070791, 1.4474213700401626E-8};
        List<double[]> probabilities = new ArrayList<>(Collections.nCopies(rows, p));
        List<Object> predictions = new ArrayList<>(Collections.nCopies(rows, 0));
        try {
            return JSON.writeValueAsBytes(new Response(predictions, probabilities, List.of(0, 1, 2)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
