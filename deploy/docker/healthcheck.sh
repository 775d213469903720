#!/bin/bash
# Docker HEALTHCHECK: healthy when GET /health/ready answers 200, i.e. the configured models are loaded.
# Speaks HTTP through bash's /dev/tcp so the runtime image needs neither curl nor wget.
set -u
exec 3<>"/dev/tcp/127.0.0.1/${PORT:-8080}" || exit 1
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r -t 5 status_line <&3 || exit 1
case "$status_line" in
    "HTTP/1."?" 200 "*|"HTTP/1."?" 200") exit 0 ;;
    *) exit 1 ;;
esac
