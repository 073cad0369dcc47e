#!/usr/bin/env bash
# Roll DeepWiki back to a previously deployed image tag.
#
# Usage: rollback.sh TAG [--platform compose|k8s] [--dry-run] [--help]
#        rollback.sh --previous          (the tag deploy.sh recorded before the last one)
#
# Database migrations are NOT reversed: DeepWiki migrations are additive, so an older
# image runs against a newer schema. If a release notes a breaking migration, restore
# the pre-deploy backup with restore-db.sh instead (deploy.sh takes one every time).
#
# Environment: DEEPWIKI_IMAGE, COMPOSE_FILE_PROD, APP_REPLICAS, HEALTH_URL,
#   HEALTH_TIMEOUT, K8S_NAMESPACE, STATE_DIR (see deploy.sh).
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s rollback: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
state_dir="${STATE_DIR:-${root}/.deploy}"
platform="compose"
dry_run="${DRY_RUN:-0}"
tag=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --platform) platform="${2:?}"; shift 2 ;;
        --dry-run) dry_run=1; shift ;;
        --previous)
            tag="$(cat "${state_dir}/previous-tag" 2>/dev/null || true)"
            [[ -n "${tag}" ]] || { log "no previous tag recorded in ${state_dir}"; exit 2; }
            shift
            ;;
        -*) log "unknown option: $1"; usage >&2; exit 2 ;;
        *) tag="$1"; shift ;;
    esac
done
if [[ -z "${tag}" ]]; then
    usage >&2
    exit 2
fi

image="${DEEPWIKI_IMAGE:-ghcr.io/deepwiki/deepwiki}"
compose_file="${COMPOSE_FILE_PROD:-${root}/docker-compose.prod.yml}"
replicas="${APP_REPLICAS:-3}"
health_url="${HEALTH_URL:-https://localhost/health}"
health_timeout="${HEALTH_TIMEOUT:-120}"
namespace="${K8S_NAMESPACE:-deepwiki}"

run() {
    if [[ "${dry_run}" == "1" ]]; then
        printf 'DRY-RUN: %s\n' "$*"
        return 0
    fi
    "$@"
}

log "rolling back to ${image}:${tag} (${platform})"
if [[ "${platform}" == "k8s" ]]; then
    run kubectl -n "${namespace}" set image deployment/deepwiki-web "web=${image}:${tag}"
    run kubectl -n "${namespace}" set image deployment/deepwiki-worker "worker=${image}:${tag}"
    run kubectl -n "${namespace}" rollout status deployment/deepwiki-web --timeout="${health_timeout}s"
else
    run docker pull "${image}:${tag}"
    run env DEEPWIKI_IMAGE="${image}" IMAGE_TAG="${tag}" docker compose -f "${compose_file}" \
        up -d --no-deps --scale "app=${replicas}" app worker
    run env DEEPWIKI_IMAGE="${image}" IMAGE_TAG="${tag}" docker compose -f "${compose_file}" \
        exec -T nginx nginx -s reload
    if [[ "${dry_run}" != "1" ]]; then
        deadline=$((SECONDS + health_timeout))
        until curl -fsS -k --max-time 5 -o /dev/null "${health_url}"; do
            if ((SECONDS >= deadline)); then
                log "still unhealthy after ${health_timeout}s: check manually (docs/troubleshooting.md)"
                exit 1
            fi
            sleep 2
        done
    fi
fi
if [[ "${dry_run}" != "1" ]]; then
    mkdir -p "${state_dir}"
    printf '%s\n' "${tag}" >"${state_dir}/current-tag"
fi
log "rollback to ${tag} completed"
