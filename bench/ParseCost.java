// Thread CPU time per request of parsing a POST /invocations body and checking its records against the
// iris inputs (InvocationParser + RecordCheck), in-process, after a warm-up: a measure that other load on
// the machine moves far less than requests/s. It lives in the server's package to reach its package-private
// classes, so it is compiled against a server jar and run with that jar (any build: before/after):
//
//   python3 bench/bodies.py /tmp/pc 2 100
//   javac -d /tmp/pc/classes -cp JAR bench/ParseCost.java
//   java -XX:+UseSerialGC -cp /tmp/pc/classes:JAR dev.pronto.server.ParseCost /tmp/pc/body-100-pmml.json 8
//
// The last argument is the seconds of warm-up and, again, of measurement.
package dev.pronto.server;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pronto.inference.InputFieldSchema;
import dev.pronto.inference.ModelSchema;

public class ParseCost {
    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        long seconds = Long.parseLong(args[1]);
        InvocationParser parser = new InvocationParser(ServerApp.MAPPER, ServerSettings.defaults());
        RecordCheck check = new RecordCheck(ProtectionSettings.UnknownKeys.REFUSE_IF_INPUT_MISSING);
        List<InputFieldSchema> inputs = new ArrayList<>();
        for (String name : List.of("sepal_length", "sepal_width", "petal_length", "petal_width")) {
            inputs.add(new InputFieldSchema(name, "double", "continuous", List.of(), List.of()));
        }
        ModelSchema schema = new ModelSchema("classification", inputs, List.of(), List.of());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long n = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) {
                    Invocation inv = parser.parse(new ByteArrayInputStream(body), body.length);
                    check.check(inv.records(), schema);
                    sink += inv.records().size();
                }
                n += 100;
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            if (phase == 1) {
                System.out.printf("%s: %.2f us CPU per request (%d requests)%n", args[0], cpu / 1000.0 / n, n);
            }
        }
        if (sink == 42) System.out.println();
    }
}
