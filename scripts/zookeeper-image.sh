#!/usr/bin/env bash
# Builds a ZooKeeper 3.8 image without any image registry: a minimal Debian root filesystem made
# by debootstrap from the Debian mirror apt already uses, with Java 17 and Debian's ZooKeeper
# jars, imported into the Docker engine that `docker` talks to (DOCKER_HOST or the default).
#
# The image behaves as the container source of `rxzk/testing` expects of the official
# `zookeeper` image: it reads /conf/zoo.cfg, keeps its data in /data (myid from ZOO_MY_ID when
# /data/myid is missing), and passes JVMFLAGS to the JVM. Use it with
#   RXZK_TESTCONTAINERS=1 RXZK_ZOOKEEPER_IMAGE=<image> npm test
#
# Usage: scripts/zookeeper-image.sh [image]      (default: rxzk-zookeeper:3.8-debian)
# Needs: root (debootstrap), debootstrap, a reachable Docker engine, about 1 GB of disk.
# Environment: RXZK_DEBIAN_MIRROR, RXZK_DEBIAN_SUITE override the mirror and the suite read from
# apt's sources and /etc/os-release.
set -euo pipefail

image=${1:-rxzk-zookeeper:3.8-debian}

fail() { echo "zookeeper-image: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "debootstrap needs root; run it as root (or with sudo)"
command -v debootstrap >/dev/null || fail "no debootstrap; install it: apt-get install -y debootstrap"
command -v docker >/dev/null || fail "no docker client; install one: apt-get install -y docker.io"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  fail "no Docker engine answers at ${DOCKER_HOST:-the default socket}; start one or set DOCKER_HOST"

# The first Debian archive apt knows (not the security one), from either source format.
apt_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  cat "${files[@]}" 2>/dev/null | awk '
    $1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }
    $1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }
  ' | grep -m 1 -E '/debian/?$' || true
}
mirror=${RXZK_DEBIAN_MIRROR:-$(apt_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}
suite=${RXZK_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}
[ -n "$suite" ] || fail "cannot tell the Debian suite from /etc/os-release; set RXZK_DEBIAN_SUITE (e.g. bookworm)"

root=$(mktemp -d "${TMPDIR:-/tmp}/rxzk-zookeeper-image.XXXXXX")
trap 'rm -rf "$root"' EXIT

echo "--- debootstrap $suite from $mirror (Java 17 and ZooKeeper's jars, about 90 s)"
# libzookeeper-java rather than zookeeper: the server jars without the desktop JRE the package pulls in.
debootstrap --variant=minbase --include=openjdk-17-jre-headless,libzookeeper-java \
  "$suite" "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; fail "debootstrap failed"; }
rm -f "$root.log"
[ -f "$root/usr/share/java/zookeeper.jar" ] || fail "debootstrap gave no /usr/share/java/zookeeper.jar"

# What the container runs: the same contract as the official image's entry point.
cat >"$root/usr/local/bin/zookeeper-server" <<'SERVER'
#!/bin/sh
set -e
mkdir -p /conf /data
[ -f /data/myid ] || echo "${ZOO_MY_ID:-1}" >/data/myid
[ -f /conf/zoo.cfg ] || printf 'dataDir=/data\nclientPort=2181\ntickTime=2000\n' >/conf/zoo.cfg
# slf4j-simple sends the server's log to stderr, so `docker logs` shows why a start failed.
exec java $JVMFLAGS -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
  org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg
SERVER
chmod 755 "$root/usr/local/bin/zookeeper-server"
mkdir -p "$root/conf" "$root/data"
# Only what the server needs: every container copies the whole image on a vfs storage driver.
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* \
  "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

echo "--- docker import as $image"
tar -C "$root" -c . | docker import \
  --change 'CMD ["/usr/local/bin/zookeeper-server"]' \
  --change 'EXPOSE 2181 2888 3888' \
  --change 'ENV LANG=C.UTF-8' \
  - "$image" >/dev/null
echo "--- built $image ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}'))"
