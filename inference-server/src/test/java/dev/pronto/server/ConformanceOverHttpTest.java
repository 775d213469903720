package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every case of the conformance corpus through {@code POST /invocations} on a running server: all
 * rows of a case in one request, numbers sent as JSON numbers, every expected column compared at the
 * case's tolerance. The seed's fields are checked too: {@code predictions} against the target
 * column and {@code predictions_prob} against the {@code probability(<class>)} columns
 * ({@link CorpusOverHttp#checkInvocations}).
 */
class ConformanceOverHttpTest {

    @RegisterExtension
    static final ServedBy CORPUS = CorpusOverHttp.SERVED;

    @Test
    void corpusHasAllFortyEightCases() {
        assertThat(CorpusOverHttp.CASES).hasSize(48);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheTrainingLibraryOverHttp(TestServer server) {
        return CorpusOverHttp.CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> CorpusOverHttp.checkInvocations(server, c, CorpusOverHttp.location(c))));
    }
}
