#!/bin/sh
# Starts the Pronto server in the container (and works the same when run directly on a host).
# SageMaker starts inference containers as `docker run IMAGE serve`; that word is not a server flag,
# so it is dropped. Everything else is passed to the server (--config, --model-root, ...).
# JAVA_OPTS is split on spaces on purpose: it holds several JVM options.
set -eu
if [ "${1:-}" = "serve" ]; then
    shift
fi
# Without any configuration (no DEPLOY_ENV, PRONTO_CONFIG, PRONTO_MODEL_ROOT, --config or --model-root)
# the image's example models in /app/models are served; with one, the configuration decides alone.
configured=${DEPLOY_ENV:-}${PRONTO_CONFIG:-}${PRONTO_MODEL_ROOT:-}
for arg in "$@"; do
    case "$arg" in
        --config|--config=*|--model-root|--model-root=*|--version|--help|-h) configured=yes ;;
    esac
done
if [ -z "$configured" ]; then
    set -- --model-root /app/models "$@"
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "${PRONTO_JAR:-/app/pronto-server.jar}" "$@"
