package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pronto.inference.testing.ConformanceCorpus;
import dev.pronto.inference.testing.InMemoryStorageProvider;
import dev.pronto.inference.testing.TestColumns;

/**
 * The columnar path through a pipeline that has none of its own (PMML): bad and missing values give
 * the record path's errors and answers. (Every corpus case as columns is checked in {@link ConformanceTest}.)
 */
class ColumnarErrorsTest {

    private static final List<ConformanceCorpus.Case> CASES = ConformanceCorpus.cases().stream()
            .filter(c -> c.name().equals("sklearn-RandomForestIris") || c.name().equals("sklearn-LinearRegressionAutoNA"))
            .toList();
    private static InferenceEngine engine;

    @BeforeAll
    static void startEngine() {
        InMemoryStorageProvider storage = new InMemoryStorageProvider();
        for (ConformanceCorpus.Case c : CASES) {
            storage.put(c.name() + "/model.pmml", c.model());
        }
        engine = InferenceEngine.builder().discoverProviders(false).storageProvider(storage)
                .pipelineProvider(new dev.pronto.inference.pmml.PmmlPipelineProvider()).build();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void badAndMissingValuesGiveTheErrorsOfTheRecordPath() {
        ConformanceCorpus.Case iris = CASES.stream().filter(c -> c.name().equals("sklearn-RandomForestIris")).findFirst()
                .orElseThrow();
        String location = iris.name() + "/model.pmml";
        List<Map<String, Object>> records = new ArrayList<>(iris.inputs().subList(0, 3));
        Map<String, Object> bad = new LinkedHashMap<>(records.get(2));
        bad.replaceAll((field, value) -> "abc");
        records.set(2, bad);

        assertSameFailure(location, records);
        assertThat(catchThrowableOfType(InferenceException.class, () -> engine.predict(location, records)).record())
                .hasValue(2);
    }

    @Test
    void aFieldWithoutAColumnIsMissingFromEveryRecordAsInTheRecordPath() {
        ConformanceCorpus.Case auto = CASES.stream().filter(c -> c.name().equals("sklearn-LinearRegressionAutoNA"))
                .findFirst().orElseThrow();
        String location = auto.name() + "/model.pmml";
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> record : auto.inputs().subList(0, 5)) {
            Map<String, Object> without = new LinkedHashMap<>(record);
            without.remove(without.keySet().iterator().next());
            records.add(without);
        }

        assertThat(engine.predict(location, TestColumns.objects(records)).predictions())
                .isEqualTo(engine.predict(location, records));
    }

    private static void assertSameFailure(String location, List<Map<String, Object>> records) {
        InferenceException byRecords = catchThrowableOfType(InferenceException.class, () -> engine.predict(location, records));
        InferenceException byColumns = catchThrowableOfType(InferenceException.class,
                () -> engine.predict(location, TestColumns.objects(records)));
        assertThat(byColumns).isNotNull().hasMessage(byRecords.getMessage());
        assertThat(byColumns.category()).isEqualTo(byRecords.category());
        assertThat(byColumns.field()).isEqualTo(byRecords.field());
        assertThat(byColumns.record()).isEqualTo(byRecords.record());
    }
}
