import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pronto.inference.InferenceEngine;
import dev.pronto.inference.ModelInfo;
import dev.pronto.inference.batch.RecordFormat;
import dev.pronto.inference.batch.RecordReader;

/**
 * The in-process engine's single-thread scoring rate on the rows of a CSV file, in records per second
 * of thread CPU time (less sensitive to other load than wall time), with the chunks `pronto score`
 * scores: the first ROWS rows (100,000) read once into chunks of 2,000, then scored ROUNDS times (10)
 * after as many warm-up rounds. bench/batch.sh runs it beside the CLI.
 *
 *   java -cp inference-server/target/pronto-server.jar bench/EngineRate.java MODEL_ROOT LOCATION FILE.csv [ROWS] [ROUNDS]
 */
public final class EngineRate {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        try (InferenceEngine engine = InferenceEngine.create(Map.of("storage.nas.root", args[0]))) {
            ModelInfo info = engine.model(args[1]);
            List<List<Map<String, Object>>> chunks = new ArrayList<>();
            try (InputStream file = Files.newInputStream(Path.of(args[2]));
                    RecordReader in = RecordReader.open(RecordFormat.CSV, file, info.schema(), true)) {
                List<Map<String, Object>> chunk = new ArrayList<>();
                for (Map<String, Object> record = in.next(); record != null && rows-- > 0; record = in.next()) {
                    chunk.add(record);
                    if (chunk.size() == 2000) {
                        chunks.add(chunk);
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    chunks.add(chunk);
                }
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long records = 0;
            long nanos = 0;
            for (int round = -rounds; round < rounds; round++) {
                long start = threads.getCurrentThreadCpuTime();
                for (List<Map<String, Object>> chunk : chunks) {
                    if (engine.predict(args[1], chunk).size() != chunk.size()) {
                        throw new IllegalStateException("a prediction per record");
                    }
                }
                if (round >= 0) {
                    nanos += threads.getCurrentThreadCpuTime() - start;
                    records += chunks.stream().mapToInt(List::size).sum();
                }
            }
            System.out.printf("%s: %d records/s of one thread's CPU (in-process engine)%n", args[1], Math.round(records / (nanos / 1e9)));
        }
    }
}
