# syntax=docker/dockerfile:1
# ORCA's container image (docs/OPERATIONS.md, "Container"): compiled in one stage, production dependencies installed
# in another, and only those two results copied onto a clean base that runs as a non-root user.
#
#   docker build -t orca .
#   docker run -p 3000:3000 -v orca-data:/data orca
#
# BASE is any image with Node.js 20.19+ at /usr/local/bin/node and npm (the official node images). Where no image
# can be pulled, scripts/container/build-base.sh makes one locally (docs/OPERATIONS.md, "Container"):
#   buildah bud --isolation chroot --format docker --build-arg BASE=localhost/orca-base:24 --build-arg PG_CLIENT= .
# The RUN steps need no more than node, npm and /bin/sh, so such a minimal base works as well as a Debian one.
ARG BASE=node:24-trixie-slim

# --- 1. build: every dependency (TypeScript is a dev dependency), then dist/ -------------------------------------
FROM ${BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs an install script (package.json's allowScripts policy), and the package's
# own `prepare` (git hooks, then a build) has no place here; the build runs below, once the sources are in.
RUN --mount=type=cache,target=/root/.npm,sharing=locked ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-migrations.mjs scripts/build-pglite-snapshot.mjs scripts/build-console.ts scripts/
COPY scripts/lib/console-build.ts scripts/lib/
COPY console/ console/
COPY src/ src/
# The compiler, the SQL migrations and default rules beside it, the pre-initialised, migrated PGlite data directory
# (dist/platform/db/pglite-snapshot.tar.gz) that spares the embedded database an initdb on first start, and the web
# console's static files (dist/console, bundled by esbuild).
RUN ["npm", "run", "build"]

# --- 2. deps: production dependencies only -------------------------------------------------------------------------
FROM ${BASE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked ["npm", "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"]

# --- 3. the image --------------------------------------------------------------------------------------------------
FROM ${BASE}
# Backups of a PostgreSQL server run pg_dump and restores pg_restore, of the server's major version or later
# (docs/backups.md): Debian trixie's postgresql-client is 17. Empty (--build-arg PG_CLIENT=) on a base without apt;
# the image then backs up the embedded database only.
ARG PG_CLIENT=postgresql-client
RUN if [ -n "$PG_CLIENT" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PG_CLIENT" && rm -rf /var/lib/apt/lists/*; \
    fi
# The user `orca` (10001:10001), whose home is the data directory, and /usr/local/bin/orca for
# `docker exec … orca keys list`. Written with Node rather than useradd, which a minimal base lacks.
RUN ["node", "-e", "\
const fs = require('node:fs');\
const add = (file, name, line) => { if (!fs.readFileSync(file, 'utf8').split('\\n').some((l) => l.startsWith(name + ':'))) fs.appendFileSync(file, line + '\\n'); };\
add('/etc/group', 'orca', 'orca:x:10001:');\
add('/etc/passwd', 'orca', 'orca:x:10001:10001:ORCA:/data:/usr/sbin/nologin');\
fs.mkdirSync('/data', { recursive: true, mode: 0o700 });\
fs.chownSync('/data', 10001, 10001);\
fs.symlinkSync('/app/bin/orca.js', '/usr/local/bin/orca');\
"]
WORKDIR /app
# Owned by root and read-only to the process: ORCA writes only to ORCA_DATA_DIR (and /tmp).
COPY --from=deps /src/node_modules node_modules/
COPY --from=build /src/dist dist/
COPY package.json ./
COPY bin/orca.js bin/
COPY scripts/container/healthcheck.mjs ./

LABEL org.opencontainers.image.title="ORCA" \
      org.opencontainers.image.description="ORCA: self-hosted control plane for governing AI agents and automations" \
      org.opencontainers.image.licenses="Apache-2.0"

# HOST: every address, so that the port can be published. ORCA_DATA_DIR: the embedded database, the first admin key
# and the source-secret key (keep it: docs/backups.md) — a volume. NODE_OPTIONS: the heap bounds recommended for the
# image's default database, PGlite (deploy/node-options.json; docs/OPERATIONS.md, "Memory"); override it for a
# replica on PostgreSQL as compose.yaml does. MALLOC_ARENA_MAX: at most two glibc malloc arenas, so memory freed by
# Node's worker threads is reused rather than held per thread (same file).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ORCA_DATA_DIR=/data \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8" \
    MALLOC_ARENA_MAX=2
VOLUME ["/data"]
EXPOSE 3000
USER 10001:10001

# Ready = database reachable and migrations applied (not merely alive). A first start on an empty embedded database
# copies the packaged data directory and migrates: allow for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.mjs"]

# Node itself is PID 1: exec form, and an ENTRYPOINT of our own replacing the base's (the official images start a
# shell script). The kernel delivers a signal to PID 1 only if the process handles it; ORCA handles SIGTERM and
# SIGINT (drain, then exit 0; docs/OPERATIONS.md, "Shutdown"), and its only children, pg_dump and pg_restore, are
# waited for, so no init process is needed. Arguments go to the CLI: `docker run … orca migrate`, `… keys list`.
STOPSIGNAL SIGTERM
# --liftoff-only (deploy/node-options.json): PGlite's WebAssembly is compiled by V8's baseline compiler only; its
# optimising compiler's work is a transient of up to 600 MB at start on Node 24. Node refuses the flag in NODE_OPTIONS.
ENTRYPOINT ["node", "--liftoff-only", "/app/dist/main.js"]
CMD ["start"]
