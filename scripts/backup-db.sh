#!/usr/bin/env bash
# Back up the DeepWiki database into BACKUP_DIR, then apply the retention rule.
#
# Usage: backup-db.sh [--every SECONDS] [--help]
#
#   PostgreSQL (DATABASE_URL=postgres://...): `pg_dump --format=custom` (compressed),
#     file deepwiki-db-YYYYmmddTHHMMSSZ.dump, verified with `pg_restore --list`.
#   Anything else (embedded SQLite default): `deepwiki backup` (database + blobs),
#     file deepwiki-full-YYYYmmddTHHMMSSZ.tar.gz.
#   BACKUP_MODE=full forces `deepwiki backup` also on PostgreSQL (adds the blobs).
#
# Environment:
#   DATABASE_URL     database to dump (unset: the embedded SQLite default)
#   BACKUP_DIR       where backups go (default ./backups)
#   RETENTION_DAYS   delete this script's own backups older than N days (default 7;
#                    0 keeps everything); other files in BACKUP_DIR are never touched
#   DEEPWIKI_BIN     command used to call the app (default: deepwiki)
#   --every SECONDS  keep running: one backup every SECONDS (for a compose service);
#                    a failed run is logged and retried at the next tick
# Exit status: non-zero when the dump, its verification or the retention step fails.
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s backup-db: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

every=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --every) every="${2:?--every needs SECONDS}"; shift 2 ;;
        *) log "unknown argument: $1"; usage >&2; exit 2 ;;
    esac
done

BACKUP_DIR="${BACKUP_DIR:-./backups}"
RETENTION_DAYS="${RETENTION_DAYS:-7}"
read -r -a DW <<<"${DEEPWIKI_BIN:-deepwiki}"

if ! [[ "${RETENTION_DAYS}" =~ ^[0-9]+$ ]]; then
    log "RETENTION_DAYS must be a whole number of days, got '${RETENTION_DAYS}'"
    exit 2
fi

is_postgres() {
    [[ "${DATABASE_URL:-}" =~ ^postgres(ql)?:// ]]
}

backup_once() {
    local ts tmp final
    ts="$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "${BACKUP_DIR}" || return 1
    if is_postgres && [[ "${BACKUP_MODE:-db}" != "full" ]]; then
        final="${BACKUP_DIR}/deepwiki-db-${ts}.dump"
        tmp="${final}.partial"
        log "pg_dump -> ${final}"
        if ! pg_dump --format=custom --compress=6 --no-owner --no-privileges \
            --file="${tmp}" "${DATABASE_URL}"; then
            rm -f "${tmp}"
            log "pg_dump failed"
            return 1
        fi
        if ! pg_restore --list "${tmp}" >/dev/null; then
            rm -f "${tmp}"
            log "the dump does not read back (pg_restore --list failed)"
            return 1
        fi
    else
        final="${BACKUP_DIR}/deepwiki-full-${ts}.tar.gz"
        tmp="${BACKUP_DIR}/.partial-deepwiki-full-${ts}.tar.gz"
        log "deepwiki backup -> ${final}"
        if ! "${DW[@]}" backup "${tmp}"; then
            rm -f "${tmp}"
            log "deepwiki backup failed"
            return 1
        fi
        if ! gzip -t "${tmp}"; then
            rm -f "${tmp}"
            log "the archive is corrupt (gzip -t failed)"
            return 1
        fi
    fi
    mv -f "${tmp}" "${final}" || return 1
    log "backup completed: ${final} ($(wc -c <"${final}") bytes)"
    prune
}

prune() {
    if [[ "${RETENTION_DAYS}" == "0" ]]; then
        return 0
    fi
    local minutes=$((RETENTION_DAYS * 24 * 60))
    # Only files that match this script's own names, directly in BACKUP_DIR.
    find "${BACKUP_DIR}" -maxdepth 1 -type f \
        \( -name 'deepwiki-db-*.dump' -o -name 'deepwiki-full-*.tar.gz' \) \
        -mmin "+${minutes}" -print -delete | while read -r f; do
        log "retention (${RETENTION_DAYS} days): deleted ${f}"
    done
}

if [[ -z "${every}" ]]; then
    backup_once
    exit $?
fi

if ! [[ "${every}" =~ ^[0-9]+$ ]] || [[ "${every}" -lt 60 ]]; then
    log "--every needs a whole number of seconds >= 60"
    exit 2
fi
trap 'log "stopping"; exit 0' TERM INT
log "scheduled mode: one backup every ${every}s into ${BACKUP_DIR}"
while true; do
    backup_once || log "backup FAILED; retrying at the next tick"
    sleep "${every}" &
    wait $!
done
