package dev.pronto.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelLocationTest {

    @Test
    void parsesTheSeedForms() {
        assertThat(ModelLocation.parse("/s3-models/iris/v1/model.pmml"))
                .isEqualTo(new ModelLocation("s3", "models", "iris/v1/model.pmml"));
        assertThat(ModelLocation.parse("/az-container/iris.pmml"))
                .isEqualTo(new ModelLocation("az", "container", "iris.pmml"));
        assertThat(ModelLocation.parse("nas-share/a/b.pmml"))
                .isEqualTo(new ModelLocation("nas", "share", "a/b.pmml"));
    }

    @Test
    void parsesUriForms() {
        assertThat(ModelLocation.parse("s3://bucket/key.pmml")).isEqualTo(new ModelLocation("s3", "bucket", "key.pmml"));
        assertThat(ModelLocation.parse("AZ://c/blob.pmml")).isEqualTo(new ModelLocation("az", "c", "blob.pmml"));
        assertThat(ModelLocation.parse("file:///srv/models/iris.pmml"))
                .isEqualTo(new ModelLocation("file", "", "/srv/models/iris.pmml"));
        assertThat(ModelLocation.parse("file:iris/model.pmml")).isEqualTo(new ModelLocation("file", "", "iris/model.pmml"));
    }

    @Test
    void bareNamesAreRelativeToTheDefaultRoot() {
        ModelLocation location = ModelLocation.parse("iris/model.pmml");

        assertThat(location).isEqualTo(new ModelLocation("file", "", "iris/model.pmml"));
        assertThat(location.isRelativeToDefaultRoot()).isTrue();
        assertThat(location.extension()).isEqualTo("pmml");
        assertThat(location.fileName()).isEqualTo("model.pmml");
    }

    @Test
    void normalisesRedundantSeparatorsAndDots() {
        assertThat(ModelLocation.parse("iris//./v1/model.pmml").path()).isEqualTo("iris/v1/model.pmml");
        assertThat(ModelLocation.parse("s3://b//k.pmml")).hasToString("s3://b/k.pmml");
    }

    @Test
    void canonicalFormRoundTrips() {
        for (String text : new String[] {"s3://b/k/x.pmml", "az://c/x.pmml", "nas://s/x.pmml", "file:x/y.pmml",
                "file:///abs/x.pmml"}) {
            assertThat(ModelLocation.parse(ModelLocation.parse(text).toString())).isEqualTo(ModelLocation.parse(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "iris/../../secret.pmml", "/nas-share/../x.pmml", "s3://b/a/../../x",
            "file:///srv/models/../../etc/passwd", "file:../x.pmml", "a/..", "..\\x.pmml"})
    void rejectsParentSegmentsBeforeAnyStorageIsAsked(String text) {
        assertThatThrownBy(() -> ModelLocation.parse(text))
                .isInstanceOf(InferenceException.class)
                .satisfies(e -> assertThat(((InferenceException) e).category()).isEqualTo(ErrorCategory.INVALID_REQUEST))
                .satisfies(e -> assertThat(((InferenceException) e).field()).contains(ModelLocation.FIELD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://user:pass@bucket/k.pmml", "s3://bucket:9000/k.pmml", "/etc/passwd",
            "iris.pmml?x=1", "iris.pmml#frag", "a\u0000b.pmml", "file://host/x.pmml", "", "   ", "s3:/x", "/s3-/k"})
    void rejectsCredentialsPortsAbsolutePathsAndControlCharacters(String text) {
        assertThatThrownBy(() -> ModelLocation.parse(text)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("location");
    }

    @Test
    void rejectsOverlongLocations() {
        assertThatThrownBy(() -> ModelLocation.parse("a".repeat(ModelLocation.MAX_LENGTH + 1)))
                .hasMessageContaining("longer than " + ModelLocation.MAX_LENGTH);
    }

    @Test
    void rejectsLocationsThatNameNoFile() {
        assertThatThrownBy(() -> ModelLocation.parse("s3://bucket/")).isInstanceOf(InferenceException.class);
        assertThatThrownBy(() -> ModelLocation.parse("./.")).hasMessageContaining("names no file");
    }
}
