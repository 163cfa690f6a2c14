#!/usr/bin/env bash
# A Docker daemon of one's own, for machines where none runs (CI, a sandbox). Root only.
#
#   scripts/docker-daemon.sh start <run-dir> [<data-root>]   prints DOCKER_HOST=unix://<run-dir>/docker.sock
#   scripts/docker-daemon.sh stop <run-dir>                   stops it by the PID in <run-dir>/dockerd.pid
#
# <run-dir> holds what lives only as long as the daemon (socket, pidfile, exec-root, log); keep
# its path short (unix socket paths are limited to about 100 bytes). <data-root> holds images and
# containers (default <run-dir>/data): give a directory outside the clone to keep images between
# runs. One daemon at a time may use a data-root.
#
# The daemon leaves the host's network alone: no iptables rules, no IP forwarding, no default
# docker0 bridge (the container source of `rxzk/testing` makes a network of its own), and
# networks from a 10.x.0.0/16 pool that no route of the host uses. Containers reach each other on
# their network, and published ports reach them through docker-proxy.
set -euo pipefail

fail() { echo "docker-daemon: $*" >&2; exit 1; }
command=${1:-}
run_dir=${2:-}
[ -n "$command" ] && [ -n "$run_dir" ] || fail "usage: $0 start <run-dir> [<data-root>] | stop <run-dir>"

case "$command" in
start)
  [ "$(id -u)" = 0 ] || fail "dockerd needs root"
  command -v dockerd >/dev/null || fail "no dockerd; install it: apt-get install -y docker.io"
  data_root=${3:-$run_dir/data}
  mkdir -p "$run_dir/exec" "$data_root"
  run_dir=$(cd "$run_dir" && pwd)
  socket=$run_dir/docker.sock
  [ ! -e "$run_dir/dockerd.pid" ] || fail "$run_dir/dockerd.pid exists: a daemon of that directory may still run (stop it first)"
  # A daemon stopped while it was still copying the image for a new container (the vfs driver
  # copies the whole image) leaves that copy behind, unknown to it. Such copies are removed
  # before it starts again: a directory under vfs/dir that neither an image layer (cache-id) nor
  # a container (mount-id, and its "-init") names. Nothing is removed unless the layer records
  # could be read.
  layerdb=$data_root/image/vfs/layerdb
  known=$(cat "$layerdb"/sha256/*/cache-id 2>/dev/null || true)
  if [ -n "$known" ] && [ -d "$data_root/vfs/dir" ]; then
    known="$known $(cat "$layerdb"/mounts/*/mount-id 2>/dev/null || true)"
    for dir in "$data_root"/vfs/dir/*; do
      [ -e "$dir" ] || continue
      id=$(basename "$dir")
      case " $(echo $known) " in *" ${id%-init} "*) ;; *) rm -rf "$dir" ;; esac
    done
  fi
  # A 10.x.0.0/16 no route of the host touches, so two daemons on one machine do not overlap.
  pool=
  for _ in $(seq 1 50); do
    candidate="10.$((RANDOM % 200 + 40))"
    if ! ip route 2>/dev/null | grep -q "^$candidate\."; then pool="$candidate.0.0/16"; break; fi
  done
  [ -n "$pool" ] || fail "found no free 10.x.0.0/16 for container networks"
  # fd 9 (a data-root lock of the caller, if any) is not handed to the daemon.
  setsid dockerd \
    --host "unix://$socket" \
    --pidfile "$run_dir/dockerd.pid" \
    --exec-root "$run_dir/exec" \
    --data-root "$data_root" \
    --storage-driver vfs \
    --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --bridge none \
    --default-address-pool "base=$pool,size=24" \
    --log-level warn \
    </dev/null >"$run_dir/dockerd.log" 2>&1 9>&- &
  daemon=$!
  for _ in $(seq 1 120); do
    if DOCKER_HOST="unix://$socket" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      echo "DOCKER_HOST=unix://$socket"
      exit 0
    fi
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.5
  done
  echo "docker-daemon: dockerd did not answer on $socket; its log:" >&2
  tail -n 30 "$run_dir/dockerd.log" >&2 || true
  kill -TERM "$daemon" 2>/dev/null || true
  exit 1
  ;;
stop)
  [ -d "$run_dir" ] || exit 0
  run_dir=$(cd "$run_dir" && pwd)
  pid=$(cat "$run_dir/dockerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # Everything in this daemon is ours: its containers, volumes and networks (whose bridges live
    # in the host's network namespace) go; its images stay in the data-root for the next run.
    export DOCKER_HOST="unix://$run_dir/docker.sock"
    # A container still being created when its client went away appears a little later: repeat
    # until none is left twice running (bounded).
    quiet=0
    for _ in $(seq 1 20); do
      containers=$(timeout 30 docker ps -aq 2>/dev/null || true)
      if [ -n "$containers" ]; then
        quiet=0
        timeout 60 docker rm -f -v $containers >/dev/null 2>&1 || true
      else
        quiet=$((quiet + 1))
        [ "$quiet" -lt 2 ] || break
        sleep 2
      fi
    done
    timeout 30 docker network prune -f >/dev/null 2>&1 || true
    timeout 30 docker volume prune -f >/dev/null 2>&1 || true
    # TERM stops the containers first; give it time, then insist.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Whatever the daemon started and left (its containerd, shims, container processes) names the
  # run directory on its command line or was started from it.
  leftovers=$(pgrep -f -- "$run_dir/" || true)
  if [ -n "$leftovers" ]; then kill -KILL $leftovers 2>/dev/null || true; fi
  for mountpoint in $(awk -v dir="$run_dir/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$mountpoint" 2>/dev/null || true
  done
  rm -f "$run_dir/dockerd.pid" "$run_dir/docker.sock"
  ;;
*)
  fail "unknown command '$command' (start or stop)"
  ;;
esac
