#!/usr/bin/env bash
# Point nginx at the blue or the green application pool (blue-green deployments).
#
# Usage: switch-upstream.sh <blue|green> [CONF_DIR]
#
# CONF_DIR (default: deploy/nginx next to this script) holds upstream-blue.conf and
# upstream-green.conf; the live config includes upstream-active.conf. The script
# copies the chosen file over upstream-active.conf atomically, runs the nginx
# config test, reloads nginx, and writes the colour to CONF_DIR/active-colour.
# If the config test or the reload fails, the previous file is put back.
#
# Environment:
#   NGINX_TEST_CMD    config test command (default: "nginx -t -q"; "true" to skip)
#   NGINX_RELOAD_CMD  reload command (default: "nginx -s reload"; e.g.
#                     "docker compose -f docker-compose.prod.yml exec -T nginx nginx -s reload")
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s switch-upstream: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    blue | green) colour="$1" ;;
    *) usage >&2; exit 2 ;;
esac
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
conf_dir="${2:-${here}/../deploy/nginx}"
src="${conf_dir}/upstream-${colour}.conf"
active="${conf_dir}/upstream-active.conf"

if [[ ! -f "${src}" ]]; then
    log "missing ${src}"
    exit 2
fi
read -r -a test_cmd <<<"${NGINX_TEST_CMD:-nginx -t -q}"
read -r -a reload_cmd <<<"${NGINX_RELOAD_CMD:-nginx -s reload}"

backup="${active}.previous"
if [[ -f "${active}" ]]; then
    cp -p "${active}" "${backup}"
fi

restore_previous() {
    if [[ -f "${backup}" ]]; then
        cp -p "${backup}" "${active}.tmp.$$"
        mv -f "${active}.tmp.$$" "${active}"
        log "restored the previous upstream-active.conf"
    fi
}

# Same-directory copy + rename: nginx never reads a half-written file.
cp "${src}" "${active}.tmp.$$"
mv -f "${active}.tmp.$$" "${active}"

if ! "${test_cmd[@]}"; then
    log "nginx config test failed for ${colour}"
    restore_previous
    exit 1
fi
if ! "${reload_cmd[@]}"; then
    log "nginx reload failed for ${colour}"
    restore_previous
    exit 1
fi
printf '%s\n' "${colour}" >"${conf_dir}/active-colour"
log "traffic now goes to ${colour}"
