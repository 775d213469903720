package dev.pronto.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints the SHA-256 of a token read from standard input, the form {@code [Security]} stores:
 * {@code printf %s "$TOKEN" | java -cp pronto-server.jar dev.pronto.server.security.HashToken}.
 * Reads stdin rather than an argument so the token stays out of shell history and {@code ps}.
 * One trailing newline is dropped, so {@code echo "$TOKEN" | ...} gives the same hash.
 */
public final class HashToken {

    private HashToken() {
    }

    /** Hashes standard input. */
    public static void main(String[] args) throws IOException {
        String token = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        if (token.endsWith("\n")) {
            token = token.substring(0, token.length() - (token.endsWith("\r\n") ? 2 : 1));
        }
        if (token.isEmpty()) {
            System.err.println("usage: printf %s \"$TOKEN\" | java -cp pronto-server.jar " + HashToken.class.getName());
            System.exit(2);
        }
        System.out.println(BearerTokens.hash(token));
    }
}
