# syntax=docker/dockerfile:1
# Pronto server image: docs/deploying.md. Build from the repository root: docker build -t pronto-server .

# Build stage: the Maven wrapper fetches Maven; tests ran in CI, so they are skipped here.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -DskipTests -Dmaven.javadoc.skip=true \
        -pl inference-server -am package

# Runtime stage: a JRE and the one runnable jar (every storage provider inside, service files merged).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 pronto \
    && useradd --system --uid 10001 --gid pronto --home-dir /app --shell /usr/sbin/nologin pronto
WORKDIR /app
COPY --from=build /src/inference-server/target/pronto-server.jar /app/pronto-server.jar
COPY --chmod=0755 deploy/docker/entrypoint.sh deploy/docker/healthcheck.sh /app/bin/
# the example model, so that a bare `docker run` has something to serve; mount your own over /app/models
COPY examples/models /app/models
# storage: the seed's local folders (NAS shares, downloaded S3/Azure copies); logs: [Logs] log files;
# configs/<DEPLOY_ENV>/project.properties and credentials.properties are mounted read-only
RUN mkdir -p /app/storage /app/logs /app/configs && chown pronto:pronto /app/storage /app/logs
VOLUME ["/app/storage", "/app/logs"]
# no PRONTO_MODEL_ROOT here: it would override a mounted configuration's [NAS] NAS_local_folder_path;
# the entrypoint serves /app/models only when nothing else is configured
ENV PRONTO_HOST=0.0.0.0 \
    PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["/app/bin/healthcheck.sh"]
ENTRYPOINT ["/app/bin/entrypoint.sh"]
