package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The W3C Trace Context rules for which headers count. */
class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Test
    void readsAVersion00TraceparentAndKeepsTheTracestate() {
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT + "-01", "congo=t61rcWkgMzE"))
                .contains(new TraceContext(TRACE, PARENT, "01", "congo=t61rcWkgMzE"));
    }

    @Test
    void acceptsAFutureVersionWithMoreFieldsButNotVersion00WithThem() {
        assertThat(TraceContext.parse("01-" + TRACE + "-" + PARENT + "-01-whatever", null)).isPresent();
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT + "-01-whatever", null)).isEmpty();
    }

    @Test
    void ignoresInvalidTraceparentsTogetherWithTheirTracestate() {
        assertThat(TraceContext.parse(null, "congo=t61rcWkgMzE")).isEmpty();
        assertThat(TraceContext.parse("ff-" + TRACE + "-" + PARENT + "-01", null)).isEmpty();
        assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-" + PARENT + "-01", null)).isEmpty();
        assertThat(TraceContext.parse("00-" + TRACE + "-" + "0".repeat(16) + "-01", null)).isEmpty();
        assertThat(TraceContext.parse("00-" + TRACE.toUpperCase() + "-" + PARENT + "-01", null)).isEmpty();
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT, null)).isEmpty();
        assertThat(TraceContext.parse("00-" + TRACE + "-" + PARENT + "-01\nforged line", null)).isEmpty();
    }

    @Test
    void dropsATracestateThatIsTooLongOrNotPrintable() {
        String traceparent = "00-" + TRACE + "-" + PARENT + "-00";
        assertThat(TraceContext.parse(traceparent, "a=" + "b".repeat(600)).orElseThrow().state()).isEmpty();
        assertThat(TraceContext.parse(traceparent, "a=b\nc=d").orElseThrow().state()).isEmpty();
        assertThat(TraceContext.parse(traceparent, null).orElseThrow().traceId()).isEqualTo(TRACE);
    }
}
