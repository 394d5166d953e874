#!/usr/bin/env bash
# The deployment of deploy/nginx.conf on one machine, without containers: for tests, the load
# test and a try-out before compose or Kubernetes.
#
#   bash deploy/local.sh start   # N app replicas on free loopback ports, nginx on 127.0.0.1:8080
#   bash deploy/local.sh status  # what runs, where (exit 1 when nothing does)
#   bash deploy/local.sh check   # `nginx -t` on the config as this script would run it
#   bash deploy/local.sh stop    # ends exactly what start started
#
# Settings (environment): REPLICAS (default 2), PROXY_PORT (8080), AUTODIFF_VIZ_WORKERS (each
# replica's worker pool, the app's default 2), PYTHON (python3), AUTODIFF_VIZ_LOCAL_STATE (the
# folder this script owns: pids, logs, the rendered config and the proxy's cache; default a
# folder of the system's temporary directory). `start` prints `ready` once the proxy answers
# /_stcore/health, then the replicas' addresses and the state folder.
#
# nginx is Debian's package, installed with apt-get when missing. The config is nginx.conf with
# three lines swapped (the replicas, the listen address, the cache folder): what the containers
# run is what the tests exercise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPLICAS="${REPLICAS:-2}"
PROXY_PORT="${PROXY_PORT:-8080}"
PYTHON="${PYTHON:-python3}"
STATE="${AUTODIFF_VIZ_LOCAL_STATE:-${TMPDIR:-/tmp}/autodiff_viz-local-$(id -u)}"
NGINX="${NGINX:-}"
MARK=AUTODIFF_VIZ_LOCAL_REPLICA_OF

die() {
  echo "local.sh: $*" >&2
  exit 1
}

find_nginx() {
  [ -n "$NGINX" ] && return
  NGINX="$(command -v nginx || true)"
  [ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; } || true
}

install_nginx() {
  find_nginx
  [ -n "$NGINX" ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian's nginx" >&2
  $sudo apt-get update -qq
  # The package would start a system-wide nginx on port 80 where services may start: this
  # script runs its own, so the service is stopped again if it came up.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx \
    >/dev/null
  if command -v service >/dev/null 2>&1; then $sudo service nginx stop >/dev/null 2>&1 || true; fi
  find_nginx
  [ -n "$NGINX" ] || die "nginx did not install"
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

healthy() {
  "$PYTHON" - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2) as reply:
        sys.exit(0 if reply.read() == b"ok" else 1)
except OSError:
    sys.exit(1)
PY
}

alive() {
  [ -n "$1" ] && running "$1"
}

# Every process carrying this state folder in its environment: the replicas, and their workers
# even when a replica died and left them behind (they inherit the variable, which only the
# replicas are given: never a shell that set AUTODIFF_VIZ_LOCAL_STATE).
marked() {
  local pid
  # grep -z reads NUL-separated lines: one per variable of a process's environment.
  grep -lzxF "$MARK=$STATE" /proc/[0-9]*/environ 2>/dev/null | while read -r pid; do
    pid="${pid#/proc/}"
    echo "${pid%/environ}"
  done
}

render_config() {
  local upstream="$STATE/upstream.conf" port
  : >"$upstream"
  for port in "${PORTS[@]}"; do
    echo "        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;" >>"$upstream"
  done
  # The replicas between the marks, loopback only, the cache and nginx's scratch files here.
  awk -v upstream="$upstream" -v listen="127.0.0.1:$PROXY_PORT" -v state="$STATE" '
    /# replicas:begin/ { while ((getline line < upstream) > 0) print line; skip = 1; next }
    /# replicas:end/ { skip = 0; next }
    skip { next }
    /^[[:space:]]*listen 8080;/ { sub(/8080/, listen) }
    { gsub(/\/var\/cache\/nginx\/autodiff_viz/, state "/cache") }
    { print }
    /^http \{/ {
      print "    client_body_temp_path " state "/tmp/body;"
      print "    proxy_temp_path " state "/tmp/proxy;"
      print "    fastcgi_temp_path " state "/tmp/fastcgi;"
      print "    uwsgi_temp_path " state "/tmp/uwsgi;"
      print "    scgi_temp_path " state "/tmp/scgi;"
    }
  ' "$ROOT/deploy/nginx.conf" >"$STATE/nginx.conf"
}

nginx_args() {
  NGINX_ARGS=(-p "$STATE/" -c "$STATE/nginx.conf" -e "$STATE/error.log")
}

check() {
  install_nginx
  local keep="$STATE"
  STATE="$(mktemp -d)"
  PORTS=(8501 8502)
  mkdir -p "$STATE/tmp"
  render_config
  nginx_args
  local rc=0
  "$NGINX" -t -q "${NGINX_ARGS[@]}" -g "pid $STATE/nginx.pid;" || rc=$?
  rm -rf "$STATE"
  STATE="$keep"
  [ "$rc" -eq 0 ] && echo "nginx.conf ok"
  return "$rc"
}

start() {
  if [ -d "$STATE" ]; then
    local pid
    for pid in $(cat "$STATE"/*.pid 2>/dev/null) $(marked); do
      alive "$pid" && die "already running (state in $STATE): run stop first"
    done
    rm -rf "$STATE"
  fi
  install_nginx
  if "$PYTHON" -c 'import socket, sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", int(sys.argv[1]))) != 0)' "$PROXY_PORT"; then
    die "127.0.0.1:$PROXY_PORT is in use by another program"
  fi
  # nginx's workers run as an unprivileged user when started by root: they must reach the cache.
  mkdir -p "$STATE/tmp"
  chmod 755 "$STATE"
  PORTS=()
  local i port
  for ((i = 1; i <= REPLICAS; i++)); do
    port="$(free_port)"
    PORTS+=("$port")
    # Each replica in a session of its own (stop signals the server, which closes its pool);
    # the marker in its environment finds it and its workers again.
    (cd "$ROOT" && exec env "$MARK=$STATE" PYTHONPATH="$ROOT" setsid \
      "$PYTHON" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$port" \
      --server.headless true --browser.gatherUsageStats false) \
      >"$STATE/replica-$i.log" 2>&1 </dev/null &
    echo "$!" >"$STATE/replica-$i.pid"
    echo "$port" >"$STATE/replica-$i.port"
  done
  render_config
  nginx_args
  if ! "$NGINX" -t -q "${NGINX_ARGS[@]}" -g "pid $STATE/nginx.pid;"; then
    stop >/dev/null
    die "nginx rejected the config"
  fi
  # In the foreground of its own background job, so its pid is the one this script knows.
  "$NGINX" "${NGINX_ARGS[@]}" -g "pid $STATE/nginx.pid; daemon off;" \
    >>"$STATE/access.log" 2>>"$STATE/error.log" </dev/null &
  echo "$!" >"$STATE/nginx-master.pid"

  local deadline=$((SECONDS + ${START_TIMEOUT:-120}))
  for ((i = 1; i <= REPLICAS; i++)); do
    until healthy "http://127.0.0.1:${PORTS[$((i - 1))]}"; do
      if ! alive "$(cat "$STATE/replica-$i.pid")" || [ "$SECONDS" -gt "$deadline" ]; then
        tail -n 20 "$STATE/replica-$i.log" >&2 || true
        stop >/dev/null
        die "replica $i did not start"
      fi
      sleep 0.3
    done
  done
  until healthy "http://127.0.0.1:$PROXY_PORT"; do
    if ! alive "$(cat "$STATE/nginx-master.pid")" || [ "$SECONDS" -gt "$deadline" ]; then
      tail -n 20 "$STATE/error.log" >&2 || true
      stop >/dev/null
      die "the proxy did not answer on 127.0.0.1:$PROXY_PORT"
    fi
    sleep 0.2
  done
  echo "ready"
  echo "proxy http://127.0.0.1:$PROXY_PORT"
  for ((i = 1; i <= REPLICAS; i++)); do echo "replica $i http://127.0.0.1:${PORTS[$((i - 1))]}"; done
  echo "state $STATE"
}

# The pid is alive and not a zombie (a zombie is gone for our purpose: its parent reaps it).
running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]
}

# Send signal $1 to the pids that follow $2, wait up to $2 seconds for them to end; print the survivors.
end_all() {
  local sig="$1" wait_s="$2" pid left=()
  shift 2
  for pid in "$@"; do kill "-$sig" "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + wait_s))
  while :; do
    left=()
    for pid in "$@"; do running "$pid" && left+=("$pid"); done
    if [ "${#left[@]}" -eq 0 ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi
    sleep 0.2
  done
  echo "${left[*]}"
}

stop() {
  if [ ! -d "$STATE" ]; then
    echo "not running"
    return 0
  fi
  local nginx_pid="" replicas=() f left
  [ -f "$STATE/nginx-master.pid" ] && nginx_pid="$(cat "$STATE/nginx-master.pid")"
  for f in "$STATE"/replica-*.pid; do [ -f "$f" ] && replicas+=("$(cat "$f")"); done
  # The proxy first (it lets its connections go on QUIT), then the replicas (TERM: each closes
  # its worker pool), then whatever of theirs is left.
  if [ -n "$nginx_pid" ]; then
    left="$(end_all QUIT 5 "$nginx_pid")"
    [ -z "$left" ] || end_all KILL 5 "$nginx_pid" >/dev/null
  fi
  if [ "${#replicas[@]}" -gt 0 ]; then
    left="$(end_all TERM 10 "${replicas[@]}")"
    # shellcheck disable=SC2086  # a list of pids
    [ -z "$left" ] || end_all KILL 5 $left >/dev/null
  fi
  local rest
  mapfile -t rest < <(marked)
  if [ "${#rest[@]}" -gt 0 ]; then
    left="$(end_all TERM 3 "${rest[@]}")"
    # shellcheck disable=SC2086
    [ -z "$left" ] || end_all KILL 5 $left >/dev/null
  fi
  rm -rf "$STATE"
  echo "stopped"
}

status() {
  [ -d "$STATE" ] || { echo "not running"; return 1; }
  local f pid any=1
  for f in "$STATE"/replica-*.pid "$STATE"/nginx-master.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if alive "$pid"; then echo "$(basename "$f" .pid) $pid running"; any=0; else echo "$(basename "$f" .pid) $pid gone"; fi
  done
  return "$any"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  check) check ;;
  *) die "usage: $0 start|stop|status|check" ;;
esac
