package dev.pronto.inference.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pronto.inference.ErrorCategory;
import dev.pronto.inference.InferenceException;
import dev.pronto.inference.ModelLocation;
import dev.pronto.inference.spi.ModelSource;
import dev.pronto.inference.spi.PipelineLoader;

/**
 * PMML is XML from storage that an attacker may control: entity tricks must be refused with a
 * clear error, and parsing must touch neither files nor the network.
 */
class PmmlXmlSafetyTest {

    private final PipelineLoader loader = new PmmlPipelineProvider().create(Map.of());

    private static final String MODEL_BODY = """
            <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
              <Header description="&payload;"/>
              <DataDictionary>
                <DataField name="x" optype="continuous" dataType="double"/>
                <DataField name="y" optype="continuous" dataType="double"/>
              </DataDictionary>
              <RegressionModel functionName="regression">
                <MiningSchema>
                  <MiningField name="y" usageType="target"/>
                  <MiningField name="x"/>
                </MiningSchema>
                <RegressionTable intercept="1.0">
                  <NumericPredictor name="x" coefficient="2.0"/>
                </RegressionTable>
              </RegressionModel>
            </PMML>
            """;

    @Test
    void refusesExternalEntitiesWithoutReadingTheFileOrTheNetwork(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String pmml = """
                    <?xml version="1.0"?>
                    <!DOCTYPE PMML [
                      <!ENTITY file SYSTEM "%s">
                      <!ENTITY %% remote SYSTEM "http://127.0.0.1:%d/evil.dtd">
                      %%remote;
                      <!ENTITY payload "&file;">
                    ]>
                    """.formatted(secret.toUri(), listener.getLocalPort()) + MODEL_BODY;

            assertThatThrownBy(() -> load(pmml))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("DOCTYPE declarations are refused")
                    .hasMessageNotContaining("TOP-SECRET-CONTENT")
                    .hasMessageNotContaining(dir.toString())
                    .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.INVALID_MODEL));

            AtomicInteger connections = new AtomicInteger();
            try {
                listener.accept().close();
                connections.incrementAndGet();
            } catch (SocketTimeoutException expected) {
                // nobody connected: the parser never fetched the external DTD
            }
            assertThat(connections).hasValue(0);
        }
    }

    @Test
    void refusesEntityExpansion() {
        StringBuilder doctype = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE PMML [\n  <!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doctype.append("  <!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        doctype.append("  <!ENTITY payload \"&lol9;\">\n]>\n");

        assertThatThrownBy(() -> load(doctype + MODEL_BODY))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("DOCTYPE declarations are refused");
    }

    @Test
    void loadsTheSameModelWithoutADoctype() {
        var pipeline = load("<?xml version=\"1.0\"?>\n" + MODEL_BODY.replace("&payload;", "plain"));

        assertThat(pipeline.predict(Map.of("x", 2.0)).value()).isEqualTo(5.0);
    }

    @Test
    void refusesMalformedXmlWithAClearMessage() {
        assertThatThrownBy(() -> load("<PMML><unclosed></PMML>"))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("cannot be loaded")
                .hasMessageContaining("not well-formed PMML");
    }

    private dev.pronto.inference.spi.Pipeline load(String pmml) {
        byte[] bytes = pmml.getBytes(StandardCharsets.UTF_8);
        return loader.load(new ModelSource(ModelLocation.parse("attack.pmml"), bytes, "0".repeat(64)));
    }
}
