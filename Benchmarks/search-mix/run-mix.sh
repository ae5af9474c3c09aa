# Issue 17's long-tail search benchmark, sourced by `Benchmarks/run --search-mix` once the server runs
# on the seeded catalog (it uses the run's ROOT, BIN, BASE, WORK, PSQL, PGBENCH, PG_PRIMARY, PG_SEARCH,
# CONNECTIONS, THREADS, DURATION, MIX_REQUESTS, MIX_SEED, rss and say).
#  1. `generate` draws MIX_REQUESTS distinct searches from the catalog's vocabulary (Zipf-weighted;
#     classes broad_word, narrow_word, filter_only, typo), `replay` turns the 20 heaviest of each class
#     into pgbench scripts of the SQL the server runs for them (`market search-sql`).
#  2. wrk replays the mix as it comes (`mix.lua`: each request drawn by the weights): the whole mix at
#     $CONNECTIONS connections, each class alone, and the whole mix from one connection; pgbench replays
#     the same classes' SQL at the same client counts.
#  3. One table, the goals, and EXPLAIN (ANALYZE, BUFFERS) of the slowest class's heaviest request.
# Six wrk runs and six pgbench runs of --duration each, plus a warm-up (3 s, or more until the server
# answers), the waits for each run's leftover requests and the preparation: 55 s in all at 20,000
# products and --duration 3s with a debug build; about 3 to 4 minutes expected at --duration 10s on
# a million products (not measured yet).
MIX_HOME="$ROOT/Benchmarks/search-mix"
MIX_WORK="$WORK/search-mix"
mkdir -p "$MIX_WORK"
# The catalog as the superuser, in a URL that both psql and `market search-sql` read (a socket folder
# as libpq's `host` parameter).
if [[ "${PG_PRIMARY[1]}" == /* ]]; then
  MIX_DB="postgresql://postgres@localhost:${PG_PRIMARY[3]}/market?host=${PG_PRIMARY[1]}&sslmode=disable"
else
  MIX_DB="postgresql://postgres@${PG_PRIMARY[1]}:${PG_PRIMARY[3]}/market?sslmode=disable"
fi
MIX_PREP_START=$(date +%s)
say "search mix: drawing $MIX_REQUESTS requests from the catalog (seed $MIX_SEED)"
if ! python3 "$MIX_HOME/generate" --db "$MIX_DB" --requests "$MIX_REQUESTS" --seed "$MIX_SEED" \
  --out "$MIX_WORK/mix.tsv" 2>"$MIX_WORK/generate.log"; then
  cat "$MIX_WORK/generate.log" >&2; exit 1
fi
if ! python3 "$MIX_HOME/replay" --mix "$MIX_WORK/mix.tsv" --bin "$BIN" --db "$MIX_DB" --per-class 20 \
  --out "$MIX_WORK/replay" 2>"$MIX_WORK/replay.log"; then
  cat "$MIX_WORK/replay.log" >&2; exit 1
fi
cat "$MIX_WORK/generate.log" "$MIX_WORK/replay.log"
echo "  prepared in $(( $(date +%s) - MIX_PREP_START )) s"

# The measurement does not pay for earlier writes (the seed, the settings' restart): a checkpoint,
# then the mix, unmeasured, 3 s at a time until the server answers at least one request per
# connection in 3 s (up to 30 s: a process that has just started opens its pool's connections, reads
# the intent table and counts its first facets; a debug build took 6 s and more to answer at all).
"$PSQL" "${PG_PRIMARY[@]}" -X -q -d postgres -c CHECKPOINT
MIX_WARM_START=$(date +%s)
for _ in $(seq 1 10); do
  MIX_WARM=$(MIX_FILE="$MIX_WORK/mix.tsv" MIX_CLASS=all wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s \
    -s "$MIX_HOME/mix.lua" "$BASE/v1/products" 2>&1 | awk '/^MIX / {for (i = 2; i <= NF; i++) if ($i ~ /^requests=/) print substr($i, 10)}') \
    || true
  [ "${MIX_WARM:-0}" -ge "$CONNECTIONS" ] && break
done
echo "  warm-up: $(( $(date +%s) - MIX_WARM_START )) s (the last 3 s: ${MIX_WARM:-0} requests answered)"

: >"$MIX_WORK/results"
# wrk stops with requests in flight that the server still answers: each run starts once the database
# runs none of them (up to 60 s).
mix_quiet() {
  local _
  for _ in $(seq 1 120); do
    [ "$("$PSQL" "${PG_SEARCH[@]}" -X -q -At -d postgres -c "SELECT count(*) FROM pg_stat_activity
      WHERE datname = 'market' AND state = 'active' AND pid <> pg_backend_pid()")" = 0 ] && return
    sleep 0.5
  done
}
mix_wrk() { # label, class, connections, threads
  local out
  mix_quiet
  out=$(MIX_FILE="$MIX_WORK/mix.tsv" MIX_CLASS="$2" MIX_SEED="$MIX_SEED" wrk -t"$4" -c"$3" -d"$DURATION" \
    --timeout 10s -s "$MIX_HOME/mix.lua" "$BASE/v1/products" 2>&1) || true
  echo "$out" >"$MIX_WORK/wrk-$1.txt"
  grep '^MIX ' <<<"$out" | sed "s/^MIX /WRK run=$1 connections=$3 /" >>"$MIX_WORK/results" \
    || echo "WRK run=$1 connections=$3 failed" >>"$MIX_WORK/results"
}
# A request's separate facet statement (a filter-only request has one) runs in pgbench on the share of
# its requests that miss the server's FacetCache (10 s per search) at the rate the request had in the
# wrk run beside it.
mix_misses() { # wrk run, column of facet-shares (2: share of the whole mix, 3: of the class)
  local rate
  rate=$(awk -v run="run=$1" '$1 == "WRK" && $2 == run {
    for (i = 3; i <= NF; i++) if ($i ~ /^rps=/) print substr($i, 5) }' "$MIX_WORK/results")
  awk -F'\t' -v rate="${rate:-0}" -v col="$2" \
    '{ printf "-D\n%s=%d\n", $1, 1000000 / (1 + 10 * rate * $col) }' "$MIX_WORK/replay/facet-shares"
}
mix_pgbench() { # label, arguments file, clients, threads, wrk run, facet-shares column
  local arguments out
  mapfile -t arguments < <(cat "$2"; mix_misses "$5" "$6")
  mix_quiet
  out=$("$PGBENCH" "${PG_SEARCH[@]}" -n -M extended "${arguments[@]}" -c "$3" -j "$4" -T "${DURATION%s}" market 2>&1) \
    || true
  echo "$out" >"$MIX_WORK/pgbench-$1.txt"
  echo "PG run=$1 tps=$(awk '/^tps/ {print $3; exit}' <<<"$out")" \
    "latency_ms=$(awk '/latency average/ {print $4; exit}' <<<"$out")" \
    "failed=$(awk '/number of failed transactions/ {print $5; exit}' <<<"$out")" \
    "aborted=$(grep -c 'aborted' <<<"$out" || true)" >>"$MIX_WORK/results"
}
say "search mix: wrk and pgbench, $DURATION each"
mix_wrk mix all "$CONNECTIONS" "$THREADS"
mix_pgbench mix "$MIX_WORK/replay/args-all" "$CONNECTIONS" "$THREADS" mix 2
for class in broad_word narrow_word filter_only typo; do
  [ -f "$MIX_WORK/replay/args-$class" ] || continue
  mix_wrk "$class" "$class" "$CONNECTIONS" "$THREADS"
  mix_pgbench "$class" "$MIX_WORK/replay/args-$class" "$CONNECTIONS" "$THREADS" "$class" 3
done
mix_wrk mix-1 all 1 1
mix_pgbench mix-1 "$MIX_WORK/replay/args-all" 1 1 mix-1 2
MIX_RSS=$(rss)

echo
echo "Search mix (issue 17): $(awk 'NR == 1 {sub(/^# search mix: /, ""); print}' "$MIX_WORK/mix.tsv")"
python3 - "$MIX_WORK/results" "$CONNECTIONS" "$MIX_RSS" "$MIX_WORK/slowest" <<'PY'
import sys
path, connections, rss, slowest = sys.argv[1:5]
wrk, pg = {}, {}
for line in open(path):
    kind, *fields = line.split()
    values = dict(f.split("=", 1) for f in fields if "=" in f)
    (wrk if kind == "WRK" else pg)[values["run"]] = values
def ms(us):
    return f"{int(us) / 1000:.1f} ms" if us not in (None, "") else "?"
labels = [("mix", "whole mix"), ("broad_word", "broad_word"), ("narrow_word", "narrow_word"),
          ("filter_only", "filter_only"), ("typo", "typo"), ("mix-1", "whole mix, one client")]
print("| requests | connections | req/s | p50 | p90 | p99 | max | errors | pgbench tps (same SQL) | pgbench latency avg | req/s ÷ tps |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for run, label in labels:
    w, p = wrk.get(run), pg.get(run, {})
    if not w:
        continue
    if "rps" not in w:
        print(f"| {label} | {w.get('connections', '?')} | wrk failed | | | | | | | | |")
        continue
    errors = sum(int(w[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "http_errors"))
    tps = float(p.get("tps") or 0)
    ratio = f"{float(w['rps']) / tps:.2f}" if tps else "n/a"
    trouble = [f"{p[k]} {k}" for k in ("failed", "aborted") if p.get(k) not in (None, "", "0")]
    print(f"| {label} | {w['connections']} | {float(w['rps']):,.0f} | {ms(w['p50_us'])} | {ms(w['p90_us'])} | "
          f"{ms(w['p99_us'])} | {ms(w['max_us'])} | {errors}"
          f"{' (' + w['timeouts'] + ' timeouts)' if int(w['timeouts']) else ''} | {tps:,.0f}"
          f"{' (' + ', '.join(trouble) + ')' if trouble else ''} | "
          f"{p.get('latency_ms') or '?'} ms | {ratio} |")
print(f"\nserver RSS after the mix: {rss}. pgbench replays the SQL of the 20 heaviest requests of each class, "
      "weighted as in the mix (a text no word finds: the words, the correction, then the corrected words or the trigrams; a separate facet "
      "statement: on the share of requests that would miss FacetCache at the wrk run's rate).")
goals = []
m, one = wrk.get("mix", {}), wrk.get("mix-1", {})
if "rps" in m:
    ok = float(m["rps"]) >= 1000 and int(m["p99_us"]) < 50000
    goals.append(f"whole mix at {connections} connections ≥ 1,000 req/s and p99 < 50 ms: "
                 f"{float(m['rps']):,.0f} req/s, p99 {ms(m['p99_us'])} → {'met' if ok else 'missed'}")
if "rps" in one:
    ok = int(one["p99_us"]) < 20000
    goals.append(f"one client p99 < 20 ms: p99 {ms(one['p99_us'])} → {'met' if ok else 'missed'}")
print("goals (issue 17): " + "; ".join(goals))
classes = [(int(wrk[c]["p99_us"]), c) for c in ("broad_word", "narrow_word", "filter_only", "typo")
           if "p99_us" in wrk.get(c, {})]
open(slowest, "w").write(max(classes)[1] if classes else "")
PY
SLOWEST=$(cat "$MIX_WORK/slowest")
MIX_EXPLAIN="$MIX_WORK/replay/explain-$SLOWEST.sql"
if [ -n "$SLOWEST" ] && [ -f "$MIX_EXPLAIN" ]; then
  echo
  echo "EXPLAIN (ANALYZE, BUFFERS) of the slowest class ($SLOWEST, by p99): its heaviest request," \
    "$(awk -F'\t' -v c="$SLOWEST" '$1 == c && $2 == 1 {print $6 (($5 == "yes") ? " (no word matches: searched again by trigrams, both statements)" : ""); exit}' "$MIX_WORK/replay/picked.tsv")"
  "$PSQL" "${PG_SEARCH[@]}" -X -q market -f "$MIX_EXPLAIN"
fi
if [ -n "${SEARCH_MIX_KEEP:-}" ]; then
  mkdir -p "$SEARCH_MIX_KEEP" && cp -r "$MIX_WORK/." "$SEARCH_MIX_KEEP/"
  echo "search mix files (the mix, the scripts, wrk's and pgbench's output) kept in $SEARCH_MIX_KEEP"
fi
