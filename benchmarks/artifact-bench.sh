#!/usr/bin/env bash
# Artifact server vs nginx on loopback, measured by the same client in the same run.
#
#   benchmarks/artifact-bench.sh
#
# Downloads: one 64 MiB file to 16 concurrent keep-alive clients, ROUNDS downloads each, TRIALS
# times per server, alternating nginx and the artifact server; MB/s = 10^6 bytes/s of bodies.
# Besides MB/s (which other load on the machine moves), it reports the CPU time each server
# process used per GB served, read from /proc: a cost the rest of the machine does not change.
# Uploads: UPLOADS files of 1 MiB by 16 clients to the artifact server (each fsynced).
# Installs nginx with apt-get when it is missing. Stops everything it started, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-16}
ROUNDS=${ROUNDS:-4}
TRIALS=${TRIALS:-7}
UPLOADS=${UPLOADS:-512}
FILE_MIB=64

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

./mvnw -B -q -pl benchmarks -am package -DskipTests
SERVER_JAR=$(ls sdk-artifacts/target/sdk-artifacts-*-server.jar)
CLIENT=(java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ArtifactLoadClient)

WORK=$(mktemp -d /tmp/artifact-bench.XXXXXX)
NGINX_PID=""
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$NGINX_PID" ]; then
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# CPU time in clock ticks used by a process and its children (nginx's workers).
cpu_ticks() {
  local total=0 pid fields
  for pid in "$1" $(pgrep -P "$1" || true); do
    fields=($(cut -d' ' -f14,15 "/proc/$pid/stat" 2>/dev/null || echo "0 0"))
    total=$((total + fields[0] + fields[1]))
  done
  echo "$total"
}
TICKS=$(getconf CLK_TCK)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# One file, the same bytes for both servers.
mkdir -p "$WORK/www" "$WORK/store" "$WORK/nginx"
head -c $((FILE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/www/file.bin"
cp "$WORK/www/file.bin" "$WORK/store/file.bin"
SHA=$(sha256sum "$WORK/www/file.bin" | cut -d' ' -f1)
chmod 755 "$WORK" "$WORK/www"
chmod 644 "$WORK/www/file.bin"

# nginx on loopback with a generated config: sendfile, no access log, as the distribution ships it.
NGINX_PORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  types { application/octet-stream bin; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
EOF
"$NGINX" -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!

# The artifact server, standalone, as users run it.
java -jar "$SERVER_JAR" --dir "$WORK/store" --bind 127.0.0.1 --port 0 --advertise 127.0.0.1 \
  > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q MESOSKIT_ARTIFACTS_TOKEN "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(sed -n 's/^MESOSKIT_ARTIFACTS_URL=//p' "$WORK/server.out")
TOKEN=$(sed -n 's/^MESOSKIT_ARTIFACTS_TOKEN=//p' "$WORK/server.out")
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$NGINX_PORT") 2>/dev/null && break; sleep 0.1; done

NGINX_URL="http://127.0.0.1:$NGINX_PORT/file.bin"
ARTIFACT_URL="${BASE}file.bin"
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), artifact server $SERVER_JAR, $(java -version 2>&1 | head -1)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; file ${FILE_MIB} MiB; clients $CLIENTS; rounds $ROUNDS; trials $TRIALS"
"${CLIENT[@]}" verify "$NGINX_URL" "$SHA"
"${CLIENT[@]}" verify "$ARTIFACT_URL" "$SHA"

# Warm-up (page cache, JIT), then alternating trials.
"${CLIENT[@]}" download "$NGINX_URL" "$CLIENTS" 1 >/dev/null
"${CLIENT[@]}" download "$ARTIFACT_URL" "$CLIENTS" 2 >/dev/null
NGINX_MBS=()
ARTIFACT_MBS=()
NGINX_CPU=()
ARTIFACT_CPU=()
for trial in $(seq "$TRIALS"); do
  if [ $((trial % 2)) -eq 1 ]; then order=(nginx artifacts); else order=(artifacts nginx); fi
  for server in "${order[@]}"; do
    if [ "$server" = nginx ]; then url=$NGINX_URL; pid=$NGINX_PID; else url=$ARTIFACT_URL; pid=$SERVER_PID; fi
    before=$(cpu_ticks "$pid")
    line=$("${CLIENT[@]}" download "$url" "$CLIENTS" "$ROUNDS")
    after=$(cpu_ticks "$pid")
    bytes=$(echo "$line" | sed 's/.* bytes=\([0-9]*\).*/\1/')
    cpu=$(awk -v t=$((after - before)) -v hz="$TICKS" -v b="$bytes" 'BEGIN {printf "%.3f", t / hz / (b / 1e9)}')
    echo "trial $trial $server: $line server_cpu_s/GB=$cpu"
    mbs=$(echo "$line" | sed 's/.*MB\/s=//')
    if [ "$server" = nginx ]; then NGINX_MBS+=("$mbs"); NGINX_CPU+=("$cpu");
    else ARTIFACT_MBS+=("$mbs"); ARTIFACT_CPU+=("$cpu"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
N_MBS=$(median "${NGINX_MBS[@]}"); A_MBS=$(median "${ARTIFACT_MBS[@]}")
N_CPU=$(median "${NGINX_CPU[@]}"); A_CPU=$(median "${ARTIFACT_CPU[@]}")
echo "download median: nginx ${N_MBS} MB/s, artifact server ${A_MBS} MB/s," \
  "throughput ratio (artifact/nginx) $(ratio "$A_MBS" "$N_MBS")"
echo "server CPU median: nginx ${N_CPU} s/GB, artifact server ${A_CPU} s/GB," \
  "CPU cost ratio (artifact/nginx) $(ratio "$A_CPU" "$N_CPU")"

"${CLIENT[@]}" upload "$BASE" "$TOKEN" "$CLIENTS" "$UPLOADS" $((1024 * 1024))
