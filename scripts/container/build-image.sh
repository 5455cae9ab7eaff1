#!/usr/bin/env bash
# Builds ORCA's image from the repository's Dockerfile with buildah, without pulling anything: on the base made by
# scripts/container/build-base.sh (made first when it is missing). `docker build` elsewhere needs none of this.
#
# Usage: scripts/container/build-image.sh [TAG]        (default localhost/orca:dev; run as root)
# Environment: ORCA_BASE_IMAGE (localhost/orca-base:24).
#
# --isolation chroot: RUN steps run chrooted, without the namespaces a container runtime needs (this machine has
# none). --format docker: the OCI image format has no HEALTHCHECK, and buildah would drop the Dockerfile's.
set -euo pipefail
cd "$(dirname "$0")/../.."

TAG="${1:-localhost/orca:dev}"
BASE_IMAGE="${ORCA_BASE_IMAGE:-localhost/orca-base:24}"

command -v buildah >/dev/null || { echo "build-image: buildah is not installed (Debian: apt-get install buildah)" >&2; exit 2; }
if ! buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
  ORCA_BASE_IMAGE="$BASE_IMAGE" scripts/container/build-base.sh
fi

volumes=()
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A registry reached through a TLS-inspecting proxy: npm on this host trusts its CA through `cafile`. The build's npm
# gets the same file, bind-mounted for the RUN steps only (never written into a layer), and an .npmrc naming it.
cafile="$(npm config get cafile 2>/dev/null || true)"
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] && [ -f "$cafile" ]; then
  printf 'cafile=/run/orca-build-ca.crt\n' >"$WORK/npmrc"
  volumes+=(--volume "$cafile:/run/orca-build-ca.crt:ro" --volume "$WORK/npmrc:/root/.npmrc:ro")
fi

# PG_CLIENT empty: the local base has no apt to install the PostgreSQL client programs with.
buildah bud --isolation chroot --format docker --layers --build-arg "BASE=${BASE_IMAGE}" --build-arg PG_CLIENT= \
  "${volumes[@]}" --tag "$TAG" --file Dockerfile .
echo "build-image: ${TAG} ($(buildah images --format '{{.Size}}' "$TAG"))"
