#!/usr/bin/env bash
# feedwright benchmark (issue 8): one command, measured side by side with rsspls and feedparser.
#
#   bench/run.sh                 N=500: feeds + list pages, cold / warm / 10 % changed, peers,
#                                parse throughput; writes bench/results/latest.md
#   bench/run.sh --smoke         N=20, no peers, short parse timings; writes nothing in the repo
#   bench/run.sh --n 5000        another size (results kept in $BENCH_DIR/results-5000.tsv)
#   bench/run.sh --scaling       N = 50, 500, 5000 in turn (unpinned only, host_delay = "0s" so
#                                that list pages measure CPU and memory, not the politeness
#                                sleep), then the report with a scaling table
#   bench/run.sh --no-peers      skip rsspls and feedparser
#   bench/run.sh --report        only rebuild bench/results/latest.md from what is in $BENCH_DIR
#   bench/run.sh --quick         unpinned runs only, no parse throughput (a before/after check)
#   bench/run.sh --no-parse      skip the parse throughput (cargo bench); the report keeps the
#                                last parse-N.txt in $BENCH_DIR
#   bench/run.sh --rounds R      measure every (tool, phase) R times, the tools interleaved round
#                                by round; the report gives medians and the spread (default 5;
#                                1 with --smoke and --scaling, 3 with --quick); warm runs are
#                                short, so they get 3×R rounds
#   FW=/path/to/feedwright bench/run.sh …   measure that binary instead of building this tree
#                                (e.g. a build of the previous commit, with its own BENCH_DIR)
#
# Everything generated lives in $BENCH_DIR (default /tmp/feedwright-bench); nothing is committed.
# nginx (Debian) serves the workload with ETag/Last-Modified, each source on its own loopback
# address (127.1.x.y list pages, 127.2.x.y feeds) on port $PORT, pinned to CPU 1 so that the
# "taskset -c 0" runs have core 0 to themselves. Needs root for apt-get when nginx or GNU time
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BENCH_DIR="${BENCH_DIR:-/tmp/feedwright-bench}"
PORT="${PORT:-18088}"
SEED="${SEED:-feedwright-bench-1}"
NS=()
PEERS=1
SMOKE=0
REPORT_ONLY=0
SCALING=0
QUICK=0
NO_PARSE=0
HOST_DELAY="${HOST_DELAY:-}"
ROUNDS="${ROUNDS:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; PEERS=0; NS=(20) ;;
    --n) shift; NS+=("$1") ;;
    --scaling) NS=(50 500 5000); SCALING=1; HOST_DELAY=0s ;;
    --no-peers) PEERS=0 ;;
    --quick) QUICK=1; NO_PARSE=1 ;;
    --no-parse) NO_PARSE=1 ;;
    --report) REPORT_ONLY=1 ;;
    --rounds) shift; ROUNDS="$1" ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#NS[@]} -gt 0 ] || NS=(500)
if [ -z "$ROUNDS" ]; then
  if [ $SMOKE = 1 ] || [ $SCALING = 1 ]; then ROUNDS=1; elif [ $QUICK = 1 ]; then ROUNDS=3; else ROUNDS=5; fi
fi
mkdir -p "$BENCH_DIR"
BENCH_SECS="${BENCH_SECS:-$([ $SMOKE = 1 ] && echo 0.2 || echo 3)}"
export BENCH_SECS

report() {
  local out="$ROOT/bench/results/latest.md"
  [ $SMOKE = 1 ] && out="$BENCH_DIR/smoke.md"
  mkdir -p "$(dirname "$out")"
  python3 "$ROOT/bench/report.py" "$BENCH_DIR" > "$out"
  cat "$out"
  echo "(written to $out)"
}
if [ $REPORT_ONLY = 1 ]; then report; exit 0; fi

# --- tools ---------------------------------------------------------------------------------
need_apt() {
  if [ "$(id -u)" != 0 ]; then echo "please install $1 (Debian package $2)" >&2; exit 2; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
command -v nginx >/dev/null || need_apt nginx nginx-light
[ -x /usr/bin/time ] || need_apt time time
if [ -z "${FW:-}" ]; then
  echo "== build (release)"
  cargo build --release --quiet
  FW="$ROOT/target/release/feedwright"
fi
RSSPLS="$BENCH_DIR/rsspls/bin/rsspls"
VENV="$BENCH_DIR/venv"
if [ $PEERS = 1 ]; then
  if [ ! -x "$RSSPLS" ]; then
    echo "== cargo install rsspls (into $BENCH_DIR/rsspls)"
    cargo install rsspls --locked --quiet --root "$BENCH_DIR/rsspls"
  fi
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import feedparser' 2>/dev/null; then
    echo "== feedparser (venv in $VENV)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet feedparser
  fi
fi

NGINX_CONF=""
stop_nginx() { [ -n "$NGINX_CONF" ] && nginx -c "$NGINX_CONF" -s stop 2>/dev/null || true; NGINX_CONF=""; }
trap stop_nginx EXIT

# One measured command: appends a row to $TSV.
#   measure TOOL PHASE PINNED ROUND OUTDIR -- command…
measure() {
  local tool=$1 phase=$2 pinned=$3 rnd=$4 outdir=$5; shift 6
  local before after tf="$W/time.txt" rc=0 snap_before="" rewritten="-"
  before=$(wc -l < "$W/access.log")
  if [ "$phase" = warm ]; then snap_before=$(snapshot "$outdir"); fi
  local pin=()
  [ "$pinned" = 1 ] && pin=(taskset -c 0)
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tf" "${pin[@]}" "$@" > "$W/$tool-$phase-$pinned.log" 2>&1 || rc=$?
  t1=$(date +%s%N)
  sleep 0.2   # let nginx flush its last log lines
  after=$(wc -l < "$W/access.log")
  if [ "$phase" = warm ]; then
    rewritten=$(diff <(echo "$snap_before") <(snapshot "$outdir") | grep -c '^>' || true)
  fi
  local wall user sys rss
  # GNU time prints the wall clock in centiseconds; a warm run takes ~0.1 s, so time it here.
  wall=$(echo "scale=4; ($t1 - $t0) / 1000000000" | bc)
  user=$(awk -F': ' '/User time/ {print $2}' "$tf")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  local files
  files=$(find "$outdir" -type f 2>/dev/null | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$tool" "$phase" "$pinned" \
    "$wall" "$user" "$sys" "$rss" "$((after - before))" "$rc" "$rewritten" "$files" "$rnd" >> "$TSV"
  printf '  %-16s %-7s pinned=%s round=%s  wall %6ss  cpu %6ss  rss %7s KB  requests %5s  exit %s  rewritten %s  files %s\n' \
    "$tool" "$phase" "$pinned" "$rnd" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$((after - before))" "$rc" "$rewritten" "$files"
}
snapshot() { find "$1" -type f -printf '%P %T@\n' 2>/dev/null | sort; }

reset_state() {
  rm -rf "$W/state-feeds" "$W/state-pages" "$W/out-feeds" "$W/out-pages" "$W/out-rsspls" "$W/cache-rsspls"
  mkdir -p "$W/out-rsspls"
}

for N in "${NS[@]}"; do
  W="$BENCH_DIR/w$N"
  echo "== N=$N: generating the workload in $W"
  stop_nginx
  rm -rf "$W"
  python3 "$ROOT/bench/gen.py" --n "$N" --seed "$SEED" --port "$PORT" --out "$W" --host-delay "$HOST_DELAY"
  echo "   $(du -sb "$W/site/p" | cut -f1) bytes of list pages, $(du -sb "$W/site/f" | cut -f1) bytes of feeds"
  : > "$W/access.log"
  taskset -c 1 nginx -c "$W/nginx.conf" -e "$W/nginx-error.log"
  NGINX_CONF="$W/nginx.conf"
  sleep 0.5
  TSV="$BENCH_DIR/results-$N${HOST_DELAY:+-delay$HOST_DELAY}.tsv"
  : > "$TSV"
  tools=(fw-feeds fw-pages)
  [ $PEERS = 1 ] && tools+=(rsspls)
  pins=(0)
  [ $SMOKE = 0 ] && [ $SCALING = 0 ] && [ $QUICK = 0 ] && pins+=(1)
  # Each phase is measured ROUNDS times, the tools taking turns within a round, so that load from
  # elsewhere on the machine hits them alike; the report takes medians. Cold: every round starts
  # from an empty state. Warm: repeated runs on the state the last cold round left (each is a warm
  # run). Changed: every round changes another 10 % of the sources first.
  change=0
  for pinned in "${pins[@]}"; do
    for phase in cold warm changed; do
      # A warm run is short (~0.1 s) and its wall clock noisy: three times the rounds.
      local_rounds=$ROUNDS
      [ "$phase" = warm ] && local_rounds=$((ROUNDS * 3))
      for rnd in $(seq 1 "$local_rounds"); do
        if [ "$phase" = cold ]; then reset_state; fi
        if [ "$phase" = changed ]; then
          change=$((change + 1))
          python3 "$ROOT/bench/gen.py" --n "$N" --seed "$SEED" --port "$PORT" --out "$W" --change 0.1 --round "$change"
        fi
        for tool in "${tools[@]}"; do
          case $tool in
            fw-feeds) measure fw-feeds "$phase" "$pinned" "$rnd" "$W/out-feeds" -- "$FW" -q -c "$W/feeds.toml" run --force ;;
            fw-pages) measure fw-pages "$phase" "$pinned" "$rnd" "$W/out-pages" -- "$FW" -q -c "$W/pages.toml" run --force ;;
            rsspls)   measure rsspls "$phase" "$pinned" "$rnd" "$W/out-rsspls" -- \
                        env XDG_CACHE_HOME="$W/cache-rsspls" "$RSSPLS" -c "$W/rsspls.toml" -o "$W/out-rsspls" ;;
          esac
        done
      done
    done
  done
  stop_nginx
  echo "== N=$N: single-threaded parse throughput (pinned to CPU 0)"
  if [ $SCALING = 1 ] || [ $NO_PARSE = 1 ]; then rm -rf "$W/site"; continue; fi   # parse: main run
  taskset -c 0 cargo bench --quiet --bench parse -- "$W/site" | tee "$BENCH_DIR/parse-$N.txt"
  if [ $PEERS = 1 ]; then
    taskset -c 0 "$VENV/bin/python" "$ROOT/bench/feedparser_bench.py" "$W/site/f" | tee -a "$BENCH_DIR/parse-$N.txt"
  fi
  # The workload is large (N × ~110 KB); keep only the results.
  [ "${KEEP:-0}" = 1 ] || rm -rf "$W/site"
done
report
