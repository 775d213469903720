package dev.pronto.inference.toolkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pronto.inference.ModelLocation;

class AllowListTest {

    private final AllowList buckets = new AllowList("s3", "bucket", "storage.s3.buckets", Set.of("models"));

    @Test
    void listedContainerPasses() {
        assertThatCode(() -> buckets.check(ModelLocation.parse("s3://models/iris.pmml"))).doesNotThrowAnyException();
    }

    @Test
    void otherContainerIsAccessDeniedNamingTheKey() {
        assertThatThrownBy(() -> buckets.check(ModelLocation.parse("s3://other/iris.pmml")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("bucket \"other\" is not one of the buckets this server may read (storage.s3.buckets)");
    }

    @Test
    void otherSchemeIsAccessDenied() {
        assertThatThrownBy(() -> buckets.check(ModelLocation.parse("az://models/iris.pmml")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("only s3:// locations");
    }

    @Test
    void emptyListRefusesEverythingAndSaysWhatToConfigure() {
        AllowList none = new AllowList("s3", "bucket", "storage.s3.buckets", Set.of());

        assertThatThrownBy(() -> none.check(ModelLocation.parse("s3://models/iris.pmml")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("(none is configured: storage.s3.buckets)");
    }
}
