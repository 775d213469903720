package dev.pronto.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

    @Test
    void scoresTheBundledIrisModel() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        EmbeddingExample.run("../models", new PrintStream(buffer, true, StandardCharsets.UTF_8));

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("classification, inputs [sepal_length, sepal_width, petal_length, petal_width], classes [0, 1, 2]");
        assertThat(output).containsPattern("record 0: class 0, probabilities \\{0=0\\.9\\d+, 1=");
        assertThat(output).contains("record 1: class ");
        assertThat(output).contains("as pmml: class 0", "status: current");
        assertThat(output).contains("rejected (INVALID_RECORD): input field \"sepal_length\": value \"five\"");
    }
}
