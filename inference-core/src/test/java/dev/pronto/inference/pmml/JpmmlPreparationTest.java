package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.ModelEvaluationContext;
import org.jpmml.evaluator.ModelEvaluator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pronto.inference.testing.ConformanceCorpus;

/**
 * Pronto prepares the inputs of the models jpmml scores itself (to name the field a refused value
 * belongs to), where a bare handler gives jpmml the raw record. Both must hand jpmml's tree walk the
 * same {@link FieldValue} classes: a different one (a float field prepared as a double, an integer
 * as a float) would change comparisons and send them down jpmml's generic, slower path.
 */
class JpmmlPreparationTest {

    /** The corpus cases scored by jpmml (not compiled) that were slower over HTTP than a bare handler. */
    static Stream<String> jpmmlScoredAuditCases() {
        return Stream.of("xgboost-BinomialClassificationAudit", "sklearn-StackingEnsembleAudit",
                "sklearn-DecisionTreeAudit");
    }

    @ParameterizedTest
    @MethodSource("jpmmlScoredAuditCases")
    void preparesEveryInputAsJpmmlItselfDoesFromTheRawRecord(String name) {
        ConformanceCorpus.Case corpusCase = ConformanceCorpus.cases().stream()
                .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        PmmlPipeline pipeline = CompiledPaths.load(corpusCase.model(), false);
        ModelEvaluator<?> evaluator = (ModelEvaluator<?>) CompiledPaths.evaluatorOf(pipeline);
        List<Map<String, Object>> rows = corpusCase.inputs();
        int compared = 0;
        for (Map<String, Object> row : rows) {
            // as the JSON parser delivers the server's records: numbers of continuous fields as doubles
            Map<String, Object> record = CompiledPaths.typed(row, pipeline);
            Map<String, FieldValue> prepared = pipeline.prepare(record);
            ModelEvaluationContext context = new ModelEvaluationContext(evaluator);
            context.setArguments(record);
            for (Map.Entry<String, FieldValue> input : prepared.entrySet()) {
                FieldValue own = context.evaluate(input.getKey());
                FieldValue ours = input.getValue();
                assertThat(ours == null ? null : ours.getClass()).as("%s of %s", input.getKey(), record)
                        .isEqualTo(own == null ? null : own.getClass());
                if (own != null) {
                    assertThat(ours.getValue()).as("%s of %s", input.getKey(), record).isEqualTo(own.getValue());
                    assertThat(ours.getDataType()).isEqualTo(own.getDataType());
                    assertThat(ours.getOpType()).isEqualTo(own.getOpType());
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(rows.size() * 5);
    }
}
