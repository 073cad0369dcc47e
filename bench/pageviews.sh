#!/usr/bin/env bash
# Page-view figures at 10k files, signed in, 2 workers (issue 17).
#
#   bench/pageviews.sh prepare sqlite|postgres   # corpus + database + import (once)
#   bench/pageviews.sh run sqlite|postgres [SRC] # serve SRC (default: ./src), measure
#
# SRC may be an exported older tree (git archive REV src | tar -x -C DIR) to
# measure "before" on the very same database. Environment: BENCH_DIR (default
# /tmp/dw-bench), BENCH_PORT (19310), BENCH_PG (postgres://…/dw_perf_bench),
# BENCH_REDIS (redis://127.0.0.1:6379/13), BENCH_REQUESTS (3000).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DIR=${BENCH_DIR:-/tmp/dw-bench}
PORT=${BENCH_PORT:-19310}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/dw_perf_bench}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:6379/13}
REQUESTS=${BENCH_REQUESTS:-3000}
ENGINE=${2:?sqlite or postgres}
export DEEPWIKI_DATA_DIR=$DIR/$ENGINE DEEPWIKI_SEED_DEMO=1 DEEPWIKI_MAX_FILES=20000
if [ "$ENGINE" = postgres ]; then export DATABASE_URL=$PG REDIS_URL=$REDIS; fi

case "$1" in
prepare)
  [ -d "$DIR/corpus" ] || $BIN/python bench/make_corpus.py "$DIR/corpus" --files 10000
  mkdir -p "$DEEPWIKI_DATA_DIR"
  $BIN/deepwiki migrate -v 0
  $BIN/deepwiki seed
  /usr/bin/time -f "import: %e s, peak %M KB" \
    $BIN/deepwiki import "$DIR/corpus" --title Bench --visibility internal | tail -1
  ;;
run)
  SRC=${3:-src}
  # Start cold: cached sidebars of another code version must not be served.
  PYTHONPATH=$(realpath "$SRC") $BIN/deepwiki shell -c \
    "from django.core.cache import cache; cache.clear()" >/dev/null 2>&1
  PYTHONPATH=$(realpath "$SRC") setsid $BIN/deepwiki serve --host 127.0.0.1 \
    --port "$PORT" --workers 2 >"$DIR/serve-$ENGINE.log" 2>&1 &
  PID=$!
  trap 'kill -- -$PID 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2
  done
  COOKIE=$(PYTHONPATH=tests $BIN/python -c "
from live import LiveClient
c = LiveClient('http://127.0.0.1:$PORT')
c.login('admin@deepwiki.com', 'Admin123!')
print('sessionid=' + c.cookie('sessionid'))")
  SLUG=$(DEEPWIKI_DATA_DIR=$DEEPWIKI_DATA_DIR $BIN/deepwiki shell -c \
    "from deepwiki.wikis.models import Wiki; print(Wiki.objects.get(title='Bench').slug)" | tail -1)
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  src: $SRC  engine: $ENGINE"
  # Warm pass (each worker's caches), then the measured pass.
  $BIN/python bench/view.py --url "http://127.0.0.1:$PORT" --wiki "$SLUG" \
    --cookie "$COOKIE" --requests 600 --concurrency 4 >/dev/null
  $BIN/python bench/view.py --url "http://127.0.0.1:$PORT" --wiki "$SLUG" \
    --cookie "$COOKIE" --requests "$REQUESTS" --concurrency 4 --server-pid "$PID"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  ;;
esac
