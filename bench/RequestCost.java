// Thread CPU time per request of what the server does with a POST /invocations body between Jetty and the
// socket: parse it (InvocationParser), check its records (RecordCheck), score them with the bundled iris
// model (the compiled regression) and write the answer (InvocationResponse) into memory. In-process, after
// a warm-up: a measure that other load on the machine moves far less than requests/s. It lives in the
// server's package to reach its package-private classes, so it is compiled against a server jar and run
// with that jar (any build: before/after, interleaved):
//
//   python3 bench/bodies.py /tmp/rc 2 100
//   javac -d /tmp/rc/classes -cp JAR bench/RequestCost.java
//   java -XX:+UseSerialGC -cp /tmp/rc/classes:JAR dev.pronto.server.RequestCost examples/models /tmp/rc/body-100-pmml.json 8
//
// Arguments: the model root holding iris/model.pmml, the body, the seconds of warm-up and, again, of measurement,
// and optionally a mode: all (the default), parse (parsing and checking only; formerly bench/ParseCost.java), answer
// (writing only) or generate (writing only, with Jackson's generator).
package dev.pronto.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelHandle;
import dev.pronto.inference.Prediction;

public class RequestCost {
    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        long seconds = Long.parseLong(args[2]);
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", Path.of(args[0]).toAbsolutePath().toString()))) {
            InvocationParser parser = new InvocationParser(ServerApp.MAPPER, ServerSettings.defaults());
            RecordCheck check = new RecordCheck(ProtectionSettings.UnknownKeys.REFUSE_IF_INPUT_MISSING);
            ModelHandle model = engine.handle("iris/model.pmml");
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            // "answer": only the answer's writing, of predictions scored once; "generate": the same with Jackson's
            // generator, which writes every answer where the byte writer does not (a before/after in one build)
            String mode = args.length > 3 ? args[3] : "all";
            List<Prediction> scored = model.predict(parser.parse(new ByteArrayInputStream(body), body.length).records());
            long sink = 0;
            for (int phase = 0; phase < 2; phase++) {
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 100; i++) {
                        if (mode.equals("parse")) {
                            Invocation inv = parser.parse(new ByteArrayInputStream(body), body.length);
                            check.check(inv.records(), model.info().schema());
                            sink += inv.records().size();
                            continue;
                        }
                        if (!mode.equals("all")) {
                            out.reset();
                            if (mode.equals("generate")) {
                                InvocationResponse.generate(out, ServerApp.MAPPER, scored, false, false);
                            } else {
                                InvocationResponse.write(out, ServerApp.MAPPER, scored, false, false);
                            }
                            sink += out.size();
                            continue;
                        }
                        Invocation inv = parser.parse(new ByteArrayInputStream(body), body.length);
                        check.check(inv.records(), model.info().schema());
                        List<Prediction> predictions = model.predict(inv.records());
                        out.reset();
                        InvocationResponse.write(out, ServerApp.MAPPER, predictions, false, false);
                        sink += out.size();
                    }
                    n += 100;
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                if (phase == 1) {
                    System.out.printf("%s %s: %.2f us CPU per request (%d requests, %d answer bytes)%n", mode, args[1],
                            cpu / 1000.0 / n, n, out.size());
                }
            }
            if (sink == 42) System.out.println();
        }
    }
}
