#!/usr/bin/env bash
# Start N read-only newsgraph replicas of one snapshot, for HAProxy
# (deploy/haproxy/haproxy.cfg) to balance.
#
# Usage:
#   deploy/replicas.sh BACKUP N BASE_PORT [-- SERVE_ARGS...]
#
#   BACKUP     a dump written by `newsgraph backup --db DB -o BACKUP`
#   N          how many replicas (1 or more)
#   BASE_PORT  replica i (1..N) listens on BASE_PORT + i - 1
#   SERVE_ARGS more `newsgraph serve` options for every replica
#              (e.g. -- --response-cache-mb 256)
#
# Environment:
#   NEWSGRAPH     the binary (default: `newsgraph` on PATH, else
#                 target/release/newsgraph of this checkout)
#   REPLICAS_DIR  where the stores go (default: data/replicas)
#   REPLICAS_HOST the address replicas listen on (default: 127.0.0.1)
#
# Each replica gets a fresh store, REPLICAS_DIR/<backup name>-<port>,
# restored from BACKUP (a store is opened by one process at a time, so
# replicas never share one). The script refuses to reuse a store directory
# that already exists: a new snapshot rolls out into fresh replicas on new
# ports, next to the old ones, never into a running replica's store.
#
# All stores are restored before any replica starts. The script then stays
# in the foreground: standard output carries only each replica's listening
# line (everything else goes to standard error), and SIGINT or
# SIGTERM stops every replica gracefully (newsgraph finishes the requests
# in flight). A replica that dies is reported and the others keep serving;
# HAProxy's health checks take it out of the pool.
set -euo pipefail

usage() {
  sed -n '/^# Usage:/,/^# Each replica/{/^# Each replica/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[ "$#" -ge 3 ] || usage
backup=$1 count=$2 base_port=$3
shift 3
if [ "$#" -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
fi
serve_args=("$@")

[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "replicas.sh: N must be a positive number, not '$count'" >&2; exit 2; }
[[ "$base_port" =~ ^[1-9][0-9]*$ ]] || { echo "replicas.sh: BASE_PORT must be a port number, not '$base_port'" >&2; exit 2; }
if [ $((base_port + count - 1)) -gt 65535 ]; then
  echo "replicas.sh: ports $base_port..$((base_port + count - 1)) go past 65535" >&2
  exit 2
fi
[ -f "$backup" ] || { echo "replicas.sh: no backup file '$backup'" >&2; exit 2; }

if [ -z "${NEWSGRAPH:-}" ]; then
  if command -v newsgraph >/dev/null 2>&1; then
    NEWSGRAPH=newsgraph
  else
    NEWSGRAPH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/release/newsgraph"
  fi
fi
dir=${REPLICAS_DIR:-data/replicas}
host=${REPLICAS_HOST:-127.0.0.1}
snapshot=$(basename "$backup")
snapshot=${snapshot%.*}

stores=()
for ((i = 0; i < count; i++)); do
  store="$dir/$snapshot-$((base_port + i))"
  if [ -e "$store" ]; then
    echo "replicas.sh: $store already exists; replicas are restored into fresh stores (remove it, or pick other ports)" >&2
    exit 1
  fi
  stores+=("$store")
done

mkdir -p "$dir"
for store in "${stores[@]}"; do
  echo "replicas.sh: restoring $backup into $store" >&2
  "$NEWSGRAPH" restore "$backup" --db "$store" >&2
done

pids=()
stop() {
  trap - INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait
  exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

for ((i = 0; i < count; i++)); do
  port=$((base_port + i))
  "$NEWSGRAPH" serve --read-only --db "${stores[i]}" --addr "$host:$port" "${serve_args[@]}" &
  pids+=("$!")
done

# Wait for the replicas one exit at a time, so that each is reported.
running=$count
while [ "$running" -gt 0 ]; do
  status=0
  wait -n -p exited || status=$?
  running=$((running - 1))
  echo "replicas.sh: replica (pid ${exited:-?}) exited with status $status; $running still running" >&2
done
