#!/usr/bin/env bash
# Restore a DeepWiki backup made by backup-db.sh (or `deepwiki backup`).
#
# Usage: restore-db.sh BACKUP_FILE --yes      (or CONFIRM=yes restore-db.sh BACKUP_FILE)
#
#   *.dump     PostgreSQL custom-format dump: pg_restore --clean --if-exists
#              --single-transaction into DATABASE_URL
#   *.sql.gz   plain SQL dump: gunzip | psql -v ON_ERROR_STOP=1 --single-transaction
#   *.tar.gz   full archive from `deepwiki backup`: `deepwiki restore --force`
#
# The current database content is REPLACED, so the script refuses to run without
# --yes or CONFIRM=yes. Take a fresh backup first (backup-db.sh).
#
# Environment: DATABASE_URL (PostgreSQL formats), DEEPWIKI_BIN (default deepwiki).
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s restore-db: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

file=""
confirm="${CONFIRM:-no}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        -y | --yes) confirm="yes"; shift ;;
        -*) log "unknown option: $1"; usage >&2; exit 2 ;;
        *) file="$1"; shift ;;
    esac
done

if [[ -z "${file}" ]]; then
    usage >&2
    exit 2
fi
if [[ ! -f "${file}" ]]; then
    log "no such backup file: ${file}"
    exit 2
fi
if [[ "${confirm}" != "yes" ]]; then
    log "refusing to overwrite the database without --yes (or CONFIRM=yes)"
    exit 3
fi
read -r -a DW <<<"${DEEPWIKI_BIN:-deepwiki}"

need_pg_url() {
    if ! [[ "${DATABASE_URL:-}" =~ ^postgres(ql)?:// ]]; then
        log "DATABASE_URL must point at PostgreSQL to restore ${file}"
        exit 2
    fi
}

case "${file}" in
    *.dump)
        need_pg_url
        pg_restore --list "${file}" >/dev/null
        log "pg_restore ${file}"
        pg_restore --clean --if-exists --no-owner --no-privileges \
            --single-transaction --exit-on-error --dbname="${DATABASE_URL}" "${file}"
        ;;
    *.sql.gz)
        need_pg_url
        gzip -t "${file}"
        log "psql < ${file}"
        gunzip -c "${file}" | psql --quiet -v ON_ERROR_STOP=1 --single-transaction "${DATABASE_URL}"
        ;;
    *.tar.gz)
        log "deepwiki restore ${file}"
        "${DW[@]}" restore "${file}" --force
        ;;
    *)
        log "unknown backup format: ${file} (expected .dump, .sql.gz or .tar.gz)"
        exit 2
        ;;
esac
log "restore completed from ${file}"
