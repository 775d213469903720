/**
 * The Pronto HTTP server: the seed service's contract ({@code GET /ping}, {@code POST /invocations})
 * on Javalin, health probes and the model listing, configured from the seed's INI files.
 *
 * <p>{@link dev.pronto.server.Main} is the entry point of the runnable jar;
 * {@link dev.pronto.server.ServerApp#createApp} builds the unstarted app around an engine, for
 * embedding and tests. Error responses are produced in one place, {@code HttpErrors}. The HTTP API
 * is described in {@code docs/http-api.md}, the configuration in {@code docs/server-configuration.md}.
 */
package dev.pronto.server;
