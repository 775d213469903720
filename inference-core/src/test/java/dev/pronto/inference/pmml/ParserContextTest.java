package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.xml.bind.JAXBContext;
import org.jpmml.model.JAXBUtil;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.InferenceEngine;

class ParserContextTest {

    @Test
    void preparingInTheBackgroundAndLoadingAtOnceShareOneContext() throws Exception {
        InferenceEngine.prepare();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Optional<JAXBContext>>> loads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loads.add(() -> {
                    InferenceEngine.prepare();
                    return ParserContext.await();
                });
            }
            List<JAXBContext> contexts = new ArrayList<>();
            for (Future<Optional<JAXBContext>> load : threads.invokeAll(loads)) {
                contexts.add(load.get().orElseThrow());
            }

            // the one jpmml parses with: no load built a second one beside it
            assertThat(contexts).allSatisfy(context -> assertThat(context).isSameAs(JAXBUtil.getContext()));
        } finally {
            threads.shutdownNow();
        }
    }
}
