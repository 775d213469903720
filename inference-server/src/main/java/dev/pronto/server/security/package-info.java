/**
 * Edge security for the server, all off by default: bearer tokens with two roles
 * ({@link dev.pronto.server.security.BearerAuth}), TLS from PEM or PKCS#12 files reloaded when they
 * change ({@link dev.pronto.server.security.TlsConnector}), and a CORS allow-list
 * ({@link dev.pronto.server.security.Cors}). {@link dev.pronto.server.security.EdgeSecurity} installs
 * them on a Javalin configuration. See {@code docs/security.md}.
 */
package dev.pronto.server.security;
