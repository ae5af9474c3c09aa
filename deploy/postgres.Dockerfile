# PostgreSQL 15 with the RUM extension (Debian's postgresql-15-rum, from the PostgreSQL Global Development
# Group's repository that both base images carry). Search orders a query's matches by rank inside the RUM
# index (migration 0054); without it the service still works, ranking every match, slower at scale.
#
#   compose:      built by deploy/compose.yaml (service `postgres`) from postgres:15-bookworm
#   CloudNativePG: docker build -f deploy/postgres.Dockerfile \
#                    --build-arg BASE_IMAGE=ghcr.io/cloudnative-pg/postgresql:15 --build-arg RUN_AS=26 \
#                    -t cho-buu-dien/postgres-cnpg:15 deploy   (deploy/k8s/postgres-cluster.yaml's imageName)
ARG BASE_IMAGE=postgres:15-bookworm
FROM ${BASE_IMAGE}
# The official image starts as root (its entrypoint drops to postgres); CloudNativePG's runs as uid 26.
ARG RUN_AS=root
USER root
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15-rum \
    && rm -rf /var/lib/apt/lists/*
USER ${RUN_AS}
