package dev.pronto.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {

    @ParameterizedTest
    @CsvSource({
            "/ping, OPEN", "/health/live, OPEN", "/health/ready/, OPEN", "/v2/health/live, OPEN", "/metrics, OPEN",
            "/invocations, SCORE", "/invocations/, SCORE",
            "/v2/models/iris/infer, SCORE", "/v2/models/iris/versions/3/infer, SCORE", "/v2/models/iris/ready, SCORE",
            "/v2/models/iris, SCORE", "/v1/models/iris:predict, SCORE", "/v1/models/iris, SCORE",
            "/models, ADMIN", "/models/iris, ADMIN", "/models/iris/iris.pickle/pmml, ADMIN",
            "/v2/repository/index, ADMIN", "/v2/repository/models/iris/load, ADMIN",
    })
    void eachEndpointNeedsItsRole(String path, AccessRules.Access access) {
        assertThat(AccessRules.defaults().required(path)).isEqualTo(access);
    }

    @ParameterizedTest
    @CsvSource({"/", "/pingx", "/health", "/health/live/extra", "/health/%6Cive", "/PING", "/v2/models/a/b/infer",
            "/metrics.txt", "/invocationsx"})
    void anythingElseNeedsAdminSoNothingIsOpenByAccident(String path) {
        assertThat(AccessRules.defaults().required(path)).isEqualTo(AccessRules.Access.ADMIN);
    }
}
