package dev.pronto.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static final String SECRET_TOKEN_SHA256 = "a3d1a38d7e3d1e9a6ab1f3c4f4d3ebc6a3ad1f6f9d59f6fdc0f0c5f0a06bd3b1";

    @Test
    void hashIsTheHexSha256OfTheUtf8Bytes() {
        assertThat(BearerTokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void findsTheRoleOfAKnownTokenOnly() {
        BearerTokens tokens = BearerTokens.of(Map.of(Role.SCORE, List.of(BearerTokens.hash("s")),
                Role.ADMIN, List.of(BearerTokens.hash("a"))));

        assertThat(tokens.roleOf("s")).contains(Role.SCORE);
        assertThat(tokens.roleOf("a")).contains(Role.ADMIN);
        assertThat(tokens.roleOf("x")).isEmpty();
        assertThat(tokens.roleOf("")).isEmpty();
        assertThat(tokens.enabled()).isTrue();
        assertThat(tokens.toString()).isEqualTo("BearerTokens[2 tokens]");
    }

    @Test
    void aHashListedForBothRolesIsAdmin() {
        String hash = BearerTokens.hash("both");
        BearerTokens tokens = BearerTokens.of(Map.of(Role.SCORE, List.of(hash), Role.ADMIN, List.of(hash.toUpperCase())));

        assertThat(tokens.roleOf("both")).contains(Role.ADMIN);
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void refusesATokenPastedInPlaceOfItsHashWithoutEchoingIt() {
        assertThatThrownBy(() -> BearerTokens.of(Map.of(Role.SCORE, List.of("my-secret-token"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store the hash of a token, not the token")
                .hasMessageNotContaining("my-secret-token");
    }

    @Test
    void parsesATokenFileWithCommentsAndNamesABadLine() {
        Map<Role, List<String>> hashes = BearerTokens.parseFile("""
                # mounted from a Kubernetes secret
                score %s

                ADMIN sha256:%s
                """.formatted(SECRET_TOKEN_SHA256, BearerTokens.hash("a")));

        assertThat(hashes.get(Role.SCORE)).containsExactly(SECRET_TOKEN_SHA256);
        assertThat(BearerTokens.of(hashes).roleOf("a")).contains(Role.ADMIN);
        assertThatThrownBy(() -> BearerTokens.parseFile("score " + SECRET_TOKEN_SHA256 + "\nreader " + SECRET_TOKEN_SHA256))
                .hasMessage("line 2: expected \"score <sha256>\" or \"admin <sha256>\"");
    }

    @Test
    void adminCoversScoreButNotTheOtherWayRound() {
        assertThat(Role.ADMIN.covers(Role.SCORE)).isTrue();
        assertThat(Role.ADMIN.covers(Role.ADMIN)).isTrue();
        assertThat(Role.SCORE.covers(Role.SCORE)).isTrue();
        assertThat(Role.SCORE.covers(Role.ADMIN)).isFalse();
    }
}
