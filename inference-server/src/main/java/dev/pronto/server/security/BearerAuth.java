package dev.pronto.server.security;

import java.util.Locale;
import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Checks the {@code Authorization: Bearer} header of every request against the endpoint's
 * {@link AccessRules}: 401 with {@code WWW-Authenticate: Bearer} when the token is missing or
 * unknown, 403 when its role is not enough. Never logs or echoes the token. Thread-safe.
 */
final class BearerAuth implements Handler {

    private static final String SCHEME = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"pronto\"";

    private final BearerTokens tokens;
    private final AccessRules rules;

    BearerAuth(BearerTokens tokens, AccessRules rules) {
        this.tokens = tokens;
        this.rules = rules;
    }

    @Override
    public void handle(Context ctx) {
        AccessRules.Access needed = rules.required(ctx.path());
        if (needed == AccessRules.Access.OPEN) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            ctx.header("WWW-Authenticate", CHALLENGE);
            throw new EdgeRefusal(401, "unauthorized", ctx.method() + " " + ctx.path()
                    + " needs a bearer token: send the header \"Authorization: Bearer <token>\"");
        }
        Optional<Role> role = tokens.roleOf(header.substring(SCHEME.length()).strip());
        if (role.isEmpty()) {
            ctx.header("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
            throw new EdgeRefusal(401, "unauthorized", "the bearer token is not one this server accepts");
        }
        Role required = needed == AccessRules.Access.ADMIN ? Role.ADMIN : Role.SCORE;
        if (!role.get().covers(required)) {
            throw new EdgeRefusal(403, "forbidden", "the bearer token has the " + name(role.get()) + " role; "
                    + ctx.method() + " " + ctx.path() + " needs the " + name(required) + " role");
        }
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
