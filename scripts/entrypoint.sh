#!/usr/bin/env bash
# Container entrypoint for DeepWiki (also runs unchanged outside a container).
#
#   entrypoint.sh [web]        wait for the database, migrate, serve HTTP (default)
#   entrypoint.sh worker       wait for the database, migrate, run background tasks
#   entrypoint.sh migrate      wait for the database, apply migrations, exit
#   entrypoint.sh <cmd> ...    exec anything else (e.g. `deepwiki check --deploy`, `bash`)
#
# Environment:
#   DEEPWIKI_BIN        command used to call the app (default: deepwiki on PATH)
#   PORT                HTTP port for `web` (default 8000)
#   HOST                bind address for `web` (default 0.0.0.0)
#   DB_WAIT_TIMEOUT     seconds to wait for the database (default 60)
#   SKIP_MIGRATIONS=1   do not run `deepwiki migrate` at start (e.g. a k8s Job did it)
#   DEEPWIKI_SEED_DEMO=1  load demo accounts/data after migrating (never in production)
set -euo pipefail

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

log() {
    printf '{"level":"info","logger":"entrypoint","message":"%s","timestamp":"%s"}\n' \
        "$*" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2
}

die() {
    printf '{"level":"error","logger":"entrypoint","message":"%s","timestamp":"%s"}\n' \
        "$*" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2
    exit 1
}

# Word-split DEEPWIKI_BIN on purpose so "python -m deepwiki" works.
read -r -a DW <<<"${DEEPWIKI_BIN:-deepwiki}"

# prometheus_client (multiprocess mode) needs the directory to exist in every
# process, management commands included; /tmp is often a fresh tmpfs.
if [[ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]]; then
    mkdir -p "${PROMETHEUS_MULTIPROC_DIR}"
fi

wait_for_db() {
    local timeout="${DB_WAIT_TIMEOUT:-60}"
    log "waiting for the database (timeout ${timeout}s)"
    "${DW[@]}" waitfordb --timeout "${timeout}" || die "database not reachable after ${timeout}s"
}

migrate() {
    if [[ "${SKIP_MIGRATIONS:-0}" == "1" ]]; then
        log "SKIP_MIGRATIONS=1: not applying migrations"
        return 0
    fi
    log "applying migrations"
    # Only forward migrations; never a destructive schema reset.
    "${DW[@]}" migrate --noinput
}

preflight() {
    # Django's checks, including the database ones: a missing FTS5 or pg_trgm,
    # or an unsafe production setting, stops the start with the reason.
    log "checking configuration and search engine"
    "${DW[@]}" check --database default --fail-level ERROR || die "start-up checks failed (see above)"
}

seed_if_asked() {
    if [[ "${DEEPWIKI_SEED_DEMO:-0}" == "1" ]]; then
        if [[ "${DEEPWIKI_ENV:-development}" == "production" ]]; then
            die "DEEPWIKI_SEED_DEMO=1 refused with DEEPWIKI_ENV=production"
        fi
        log "DEEPWIKI_SEED_DEMO=1: loading demo data"
        "${DW[@]}" seed
    fi
}

cmd="${1:-web}"
case "${cmd}" in
    -h | --help)
        usage
        exit 0
        ;;
    web)
        shift || true
        wait_for_db
        migrate
        preflight
        seed_if_asked
        log "starting web server on ${HOST:-0.0.0.0}:${PORT:-8000}"
        exec "${DW[@]}" serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" "$@"
        ;;
    worker)
        shift || true
        wait_for_db
        migrate
        preflight
        log "starting background worker"
        exec "${DW[@]}" worker "$@"
        ;;
    migrate)
        shift || true
        SKIP_MIGRATIONS=0
        wait_for_db
        migrate
        seed_if_asked
        log "migrations applied"
        ;;
    *)
        exec "$@"
        ;;
esac
