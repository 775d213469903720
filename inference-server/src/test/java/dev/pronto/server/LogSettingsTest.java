package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pronto's own {@code [Logs]} keys, read as an operator sets them (here through environment variables). */
class LogSettingsTest {

    private static final InstalledStorage NAS = InstalledStorage.named("nas");

    @Test
    void defaultsToTextWithProbesAndNoConfigurationOfTheUsers() {
        LogSettings logs = load(Map.of());

        assertThat(logs.json()).isFalse();
        assertThat(logs.accessLogProbes()).isTrue();
        assertThat(logs.logbackConfig()).isEmpty();
    }

    @Test
    void readsFormatProbesAndLogbackConfigurationInConfigparserWords() {
        LogSettings logs = load(Map.of("PRONTO_LOGS_LOG_FORMAT", "JSON", "PRONTO_LOGS_ACCESS_LOG_PROBES", "no",
                "PRONTO_LOGS_LOGBACK_CONFIG", "/etc/pronto/logback.xml"));

        assertThat(logs.json()).isTrue();
        assertThat(logs.accessLogProbes()).isFalse();
        assertThat(logs.logbackConfig()).contains(Path.of("/etc/pronto/logback.xml"));
    }

    @Test
    void refusesAnUnknownFormatOrYesNoWordNamingTheVariable() {
        assertThatThrownBy(() -> load(Map.of("PRONTO_LOGS_LOG_FORMAT", "xml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PRONTO_LOGS_LOG_FORMAT").hasMessageEndingWith(": expected text or json");
        assertThatThrownBy(() -> load(Map.of("PRONTO_LOGS_ACCESS_LOG_PROBES", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PRONTO_LOGS_ACCESS_LOG_PROBES").hasMessageContaining("expected true or false");
    }

    private static LogSettings load(Map<String, String> env) {
        return ServerConfig.load(List.of(), env, NAS).logs();
    }
}
