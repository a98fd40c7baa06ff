# The Envoy image of the mesh: Envoy, the consul binary that bootstraps it
# (consul connect envoy -sidecar-for <service> | -gateway=ingress), and the two filters.
# One image serves the imagehub and quota sidecars and the ingress gateway.
# Build context: the repository root (docker-compose.yml sets it).
#
# Pairing: Consul 1.22 supports Envoy 1.35.x, 1.34.x, 1.33.x and 1.32.x (Consul's Envoy
# compatibility matrix; 1.35.3 became Consul's default Envoy image with hashicorp/consul#22824).
# tests/ImageHub.Mesh.Tests checks the two tags below against that list.

FROM hashicorp/consul:1.22.0 AS consul

# The filters, built exactly as scripts/build --filters-only builds them on a laptop.
FROM node:20.20.2-bookworm-slim AS filters
WORKDIR /src
COPY scripts/build scripts/lib.sh scripts/
COPY filters/ filters/
RUN scripts/build --filters-only

FROM envoyproxy/envoy:v1.35.3 AS sidecar
COPY --from=consul /bin/consul /usr/local/bin/consul
COPY infra/docker/http-ok /usr/local/bin/http-ok
# Consul's builtin/wasm extension loads these paths (VmConfig.Code.Local.Filename in
# infra/consul/config-entries/30-service-defaults-imagehub.json).
COPY --from=filters /src/filters/multi-tenancy/build/multi-tenancy.wasm /etc/envoy/filters/multi-tenancy.wasm
COPY --from=filters /src/filters/rate-limit/build/rate-limit.wasm /etc/envoy/filters/rate-limit.wasm
USER envoy
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=20 CMD ["http-ok", "19000", "/ready"]
ENTRYPOINT ["consul", "connect", "envoy"]
