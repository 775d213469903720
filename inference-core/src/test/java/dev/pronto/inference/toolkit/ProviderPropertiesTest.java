package dev.pronto.inference.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ProviderPropertiesTest {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    private static ProviderProperties config(Map<String, String> values) {
        return new ProviderProperties("storage.s3.", values);
    }

    @Test
    void namesAreTrimmedKeptInOrderAndDeduplicated() {
        assertThat(config(Map.of("buckets", " b , a,,b ")).getNames("buckets", NAME, "bucket name"))
                .containsExactly("b", "a");
    }

    @Test
    void invalidNameIsQuotedAndTheKeyCarried() {
        assertThatThrownBy(() -> config(Map.of("buckets", "ok, Not_OK")).getNames("buckets", NAME, "bucket name"))
                .isInstanceOfSatisfying(InvalidPropertyException.class, e -> assertThat(e.key()).isEqualTo("storage.s3.buckets"))
                .hasMessage("storage.s3.buckets: \"Not_OK\" is not a valid bucket name");
    }

    @Test
    void httpUrlIsParsed() {
        assertThat(config(Map.of("endpoint", "http://127.0.0.1:9000")).getHttpUrl("endpoint"))
                .contains(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void urlWithCredentialsIsRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> config(Map.of("endpoint", "https://user:secret@host")).getHttpUrl("endpoint"))
                .isInstanceOf(InvalidPropertyException.class)
                .hasMessage("storage.s3.endpoint: must not hold credentials");
    }

    @Test
    void urlOfAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> config(Map.of("endpoint", "ftp://host")).getHttpUrl("endpoint"))
                .hasMessage("storage.s3.endpoint: expected an http or https URL");
    }

    @Test
    void malformedNumberNamesTheKeyAndNotTheValue() {
        assertThatThrownBy(() -> config(Map.of("max-attempts", "s3cr3t")).getInt("max-attempts", 3, 1, 20))
                .isInstanceOfSatisfying(InvalidPropertyException.class, e -> assertThat(e.key()).isEqualTo("storage.s3.max-attempts"))
                .hasMessage("storage.s3.max-attempts: expected a whole number");
    }

    @Test
    void durationsInEveryWrittenForm() {
        ProviderProperties config = config(Map.of("a", "250ms", "b", "30", "c", "PT2M"));

        assertThat(config.getDuration("a", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(config.getDuration("b", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.getDuration("c", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.getDuration("unset", Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void negativeDurationIsRefused() {
        assertThatThrownBy(() -> ProviderProperties.parseDuration("cache.revalidate-interval", "-PT1S"))
                .isInstanceOfSatisfying(InvalidPropertyException.class,
                        e -> assertThat(e.key()).isEqualTo("cache.revalidate-interval"))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void unknownKeysAreAllNamedAndTheFirstCarried() {
        ProviderProperties config = config(Map.of("region", "x", "regoin", "y", "bucket", "z"));
        config.get("region");

        assertThatThrownBy(config::rejectUnused)
                .isInstanceOfSatisfying(InvalidPropertyException.class, e -> assertThat(e.key()).isEqualTo("storage.s3.bucket"))
                .hasMessage("unknown configuration keys: storage.s3.bucket, storage.s3.regoin");
    }
}
