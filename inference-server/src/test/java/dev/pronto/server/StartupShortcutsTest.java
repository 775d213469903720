package dev.pronto.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartupShortcutsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE);
        } else {
            System.setProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE, before);
        }
    }

    @Test
    void answersJettysCacheLineQuestionSoThatItNeedsNoMBeanServer() {
        System.clearProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE);

        StartupShortcuts.begin();

        // the test JVM's heap is far below 32 GB, so its references are compressed: 64 bytes / 4
        assertThat(System.getProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE)).isEqualTo("16");
    }

    @Test
    void leavesAnOperatorsOwnSettingAlone() {
        System.setProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE, "4");

        StartupShortcuts.begin();

        assertThat(System.getProperty(StartupShortcuts.JETTY_REFERENCES_PER_CACHE_LINE)).isEqualTo("4");
    }
}
