#!/bin/sh
# Starts the Pronto server in the container (and works the same when run directly on a host).
# SageMaker starts inference containers as `docker run IMAGE serve`; that word is not a server flag,
# so it is dropped. Everything else is passed to the server (--config, --model-root, ...).
# JAVA_OPTS is split on spaces on purpose: it holds several JVM options.
set -eu
if [ "${1:-}" = "serve" ]; then
    shift
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "${PRONTO_JAR:-/app/pronto-server.jar}" "$@"
