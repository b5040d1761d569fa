#!/usr/bin/env bash
# Memory over a long run (docs/PERFORMANCE.md): builds the server, runs it on
# SQLite files in a temporary directory, drives it with a mixed load for
# DURATION and samples its resident memory every SAMPLE seconds.
#
#   scripts/soak.sh [DURATION]          # default 10m; or: go tool -modfile=tools/go.mod task bench:soak DURATION=10m
#
# The load, all at once on loopback, each part with its own connections:
#   - eventodb bench --scenario mixed with 4 workers (80 % single writes,
#     20 % stream.get of 100 messages);
#   - eventodb bench --scenario category with 1 worker (category.get of 100);
#   - SUBSCRIBERS (default 3) SSE subscriptions to the category the writes go
#     to, each receiving a poke per write.
#
# Every SAMPLE seconds (default 10) it prints the server's VmRSS from
# /proc/PID/status, and from its /metrics the memory the Go runtime holds
# (go_memstats_sys_bytes; roughly, what RSS holds beyond it is SQLite's, in
# C), the Go heap in use and the number of goroutines; at the end the first,
# last, smallest and largest RSS under load, and the bench tables. With pprof on (EVENTODB_PPROF_ADDR, set here to
# 127.0.0.1:PPROF_PORT) it saves heap profiles after the first sample and at
# the end into OUT (default: the temporary directory, kept without the data),
# for
#   go tool pprof -sample_index=inuse_space -top -base OUT/heap-start.pb.gz OUT/heap-end.pb.gz
# Variables: SAMPLE, SUBSCRIBERS, PORT (default 18090), PPROF_PORT (default
# 18091), OUT, WORKERS (default 4, the mixed row's).
set -euo pipefail

duration="${1:-${DURATION:-10m}}"
sample="${SAMPLE:-10}"
subscribers="${SUBSCRIBERS:-3}"
workers="${WORKERS:-4}"
port="${PORT:-18090}"
pprof_port="${PPROF_PORT:-18091}"
base="http://127.0.0.1:$port"

cd "$(dirname "$0")/.."
work="$(mktemp -d -t eventodb-soak.XXXXXX)"
out="${OUT:-$work}"
mkdir -p "$out"
echo "soak: $duration of mixed load on SQLite files in $work; results in $out"

go build -o "$work/eventodb" ./cmd/eventodb
token="ns_ZGVmYXVsdA_$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" # the default namespace's

pids=()
subs=()
cleanup() {
	for p in "${pids[@]}" "${subs[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -n "${server:-}" ]; then
		kill -TERM "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
}
trap cleanup EXIT

EVENTODB_TOKEN="$token" EVENTODB_PPROF_ADDR="127.0.0.1:$pprof_port" \
	"$work/eventodb" serve --port "$port" --data-dir "$work/data" --log-level warn >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
	curl -fsS "$base/health" >/dev/null 2>&1 && break
	sleep 0.1
done
curl -fsS "$base/health" >/dev/null

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
metric() { curl -fsS "$base/metrics" | awk -v m="$1" '$1 == m {printf "%.0f", $2}'; }
metric_mb() { awk -v b="$(metric "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

idle="$(rss_kb)"
echo "soak: server pid $server, RSS idle $(mb "$idle") MB"

for i in $(seq "$subscribers"); do
	(curl -sN "$base/subscribe?category=bench&token=$token" | grep -c '^event: poke' >"$work/pokes-$i" || true) &
	subs+=($!)
done
"$work/eventodb" bench --url "$base" --token "$token" --scenario mixed --concurrency "$workers" \
	--duration "$duration" --requests 10000000 >"$out/bench-mixed.txt" 2>&1 &
mixed=$!
pids+=("$mixed")
"$work/eventodb" bench --url "$base" --token "$token" --scenario category --concurrency 1 \
	--duration "$duration" --requests 10000000 >"$out/bench-category.txt" 2>&1 &
category=$!
pids+=("$category")

samples="$out/rss.tsv"
printf 'seconds\trss_mb\tgo_sys_mb\theap_inuse_mb\tgoroutines\n' >"$samples"
start=$SECONDS
first=""
while kill -0 "$mixed" 2>/dev/null || kill -0 "$category" 2>/dev/null; do
	sleep "$sample"
	kill -0 "$mixed" 2>/dev/null || kill -0 "$category" 2>/dev/null || break # samples are of the load only
	kill -0 "$server" || { echo "soak: the server died; see $work/server.log"; exit 1; }
	rss="$(rss_kb)"
	printf '%d\t%s\t%s\t%s\t%s\n' $((SECONDS - start)) "$(mb "$rss")" "$(metric_mb go_memstats_sys_bytes)" \
		"$(metric_mb go_memstats_heap_inuse_bytes)" "$(metric go_goroutines)" | tee -a "$samples"
	if [ -z "$first" ]; then
		first="$rss"
		curl -fsS "http://127.0.0.1:$pprof_port/debug/pprof/heap" -o "$out/heap-start.pb.gz" || true
	fi
done
curl -fsS "http://127.0.0.1:$pprof_port/debug/pprof/heap" -o "$out/heap-end.pb.gz" || true
wait "$mixed" "$category" || true
# Stopping the server ends the subscriptions, and their counts are written.
kill -TERM "$server"
wait "$server" || true
server=""
wait "${subs[@]}" || true

echo
awk -v idle="$idle" 'NR > 1 {
		n++; v = $2; if (n == 1) first = v; last = v
		if (n == 1 || v > hi) hi = v
		if (n == 1 || v < lo) lo = v
	}
	END {
		printf "soak: RSS idle %.1f MB; under load first %.1f, last %.1f, min %.1f, max %.1f MB (%d samples)\n", idle / 1024, first, last, lo, hi, n
	}' "$samples"
echo "soak: data directory $(du -sh "$work/data" | cut -f1); pokes received by the $subscribers subscribers: $(cat "$work"/pokes-* | tr '\n' ' ')"
echo
cat "$out/bench-mixed.txt" "$out/bench-category.txt"
# Keep the results, not the data.
if [ "$out" != "$work" ]; then
	cp "$work/server.log" "$out/"
	rm -rf "$work"
else
	rm -rf "$work/data" "$work/eventodb"
fi
echo
echo "soak: samples, bench tables, server log and heap profiles in $out"
