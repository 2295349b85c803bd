#!/usr/bin/env bash
# LocalClusterThroughput, before against after, alternating runs: one standalone cluster per
# build (each on a port of its own, both kept running), a warm-up run on each, then ROUNDS pairs
# of runs (before, after). Per run: tasks/s, the scheduler's CPU and heap (from the benchmark),
# the cluster's CPU, its own and that of the processes it started and reaped, per task (from
# /proc). At the end the median tasks/s of each side and their ratio.
#
#   benchmarks/local-cluster-throughput.sh BEFORE_DIR AFTER_DIR [TASKS] [ROUNDS] [MODE]
#
# Each DIR holds a mesoskit-local.jar and a benchmarks.jar of one build (copy them from
# sdk-local/target and benchmarks/target after `./mvnw -B -q -pl benchmarks,sdk-local -am package
# -DskipTests`). TASKS defaults to 10000, ROUNDS to 3, MODE to command.
set -euo pipefail
before=$(cd "$1" && pwd); after=$(cd "$2" && pwd)
tasks=${3:-10000}; rounds=${4:-3}; mode=${5:-command}
tck=$(getconf CLK_TCK)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

start_cluster() { # dir port -> pid
  local log; log=$(mktemp)
  java -jar "$1/mesoskit-local.jar" --port "$2" --agents 2 \
      --resources "cpus:8;mem:8192;disk:1000;ports:[31000-31999]" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do grep -q 'Mesos-compatible master' "$log" && break; sleep 1; done
  echo "$pid"
}
cpu() { awk -v t="$tck" '{printf "%d %d\n", $14+$15, $16+$17}' "/proc/$1/stat"; }
run() { # label dir port pid count -> prints a line, echoes tasks/s last
  local s0 c0 s1 c1 out load0
  read -r s0 c0 < <(cpu "$4"); load0=$(cut -d' ' -f1 /proc/loadavg)
  out=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$2/benchmarks.jar" \
      dev.mesoskit.benchmarks.LocalClusterThroughput "127.0.0.1:$3" "$5" "$mode" 2>&1 \
      | grep -E '^(store=|scheduler_cpu|stages)')
  read -r s1 c1 < <(cpu "$4")
  printf '%s %s\n  %s\n' "$1" "$(echo "$out" | tr '\n' ' ')" \
      "$(awk -v a=$((s1 - s0)) -v b=$((c1 - c0)) -v t="$tck" -v n="$5" -v l0="$load0" \
          -v l1="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {printf \
          "cluster_cpu_ms_per_task=%.2f (own %.2f, processes %.2f) load=%s..%s", \
          (a + b) * 1000 / t / n, a * 1000 / t / n, b * 1000 / t / n, l0, l1}')" >&2
  echo "$out" | sed -n 's/.*tasks_per_second=\([0-9]*\).*/\1/p'
}

pb=$(start_cluster "$before" 5081); pids+=("$pb")
pa=$(start_cluster "$after" 5082); pids+=("$pa")
run "warm-up before" "$before" 5081 "$pb" 2000 >/dev/null
run "warm-up after " "$after" 5082 "$pa" 2000 >/dev/null
rb=(); ra=()
for r in $(seq 1 "$rounds"); do
  rb+=("$(run "round $r before" "$before" 5081 "$pb" "$tasks")")
  ra+=("$(run "round $r after " "$after" 5082 "$pa" "$tasks")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
mb=$(median "${rb[@]}"); ma=$(median "${ra[@]}")
echo "median tasks/s: before $mb, after $ma, ratio $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", a / b}')"
