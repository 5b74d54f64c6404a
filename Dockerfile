# syntax=docker/dockerfile:1
#
# ICS Graph: the GraphQL server (icsgraph) and the seed loader (icsgraph-seed)
# in one small image. The default command runs the server; docker-compose.yml
# runs the seed loader from the same image as a one-shot service.
#
#   docker build -t icsgraph .
#   docker run --rm -e NEO4J_URI=bolt://host:7687 -e NEO4J_USER=neo4j \
#     -e NEO4J_PASSWORD=... -p 127.0.0.1:8080:8080 icsgraph
#   docker run --rm -e NEO4J_URI=... icsgraph icsgraph-seed -if-empty -data /app/seed/data

# ---- build ------------------------------------------------------------------
# The golang images set GOTOOLCHAIN=local, so this tag must provide at least the
# go version in go.mod (1.26.8); the floating 1.26 tag does once pulled fresh.
FROM golang:1.26 AS build
WORKDIR /src

# Dependencies first, so editing source does not re-download modules.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download

COPY . .
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/icsgraph ./server && \
    go build -trimpath -ldflags="-s -w" -o /out/icsgraph-seed ./seed

# ---- run --------------------------------------------------------------------
# Alpine rather than distroless: busybox wget lets compose health-check /readyz.
FROM alpine:3.22
RUN addgroup -S -g 10001 icsgraph && \
    adduser -S -D -H -u 10001 -G icsgraph -s /sbin/nologin icsgraph
WORKDIR /app
COPY --from=build /out/icsgraph /out/icsgraph-seed /usr/local/bin/
# The seed loader's default -data is seed/data, relative to WORKDIR /app.
COPY seed/data /app/seed/data

# Listen on all interfaces inside the container; NEO4J_* come from the caller.
ENV HOST=0.0.0.0 \
    PORT=8080
USER 10001:10001
EXPOSE 8080
CMD ["icsgraph"]
