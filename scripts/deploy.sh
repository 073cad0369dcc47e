#!/usr/bin/env bash
# Deploy a DeepWiki image with a backup first and automatic rollback on failure.
#
# Usage: deploy.sh [--strategy rolling|blue-green] [--platform compose|k8s]
#                  [--tag TAG] [--build] [--skip-backup] [--dry-run] [--help]
#
# compose, rolling (default):
#   1. backup-db.sh (through the `backup` service)   2. pull (or --build) the image
#   3. migrate once (`entrypoint.sh migrate`)       4. start N new app containers
#   beside the N old ones, wait until each reports healthy, reload nginx, stop the
#   old ones one by one (graceful SIGTERM)            5. check HEALTH_URL
#   Any failure removes the new containers (the old ones keep serving) or, after
#   the switch, runs rollback.sh with the previous tag.
# compose, blue-green:
#   start the idle colour (app-blue/app-green) with the new image, wait for its
#   health, switch nginx with switch-upstream.sh, check HEALTH_URL, stop the old
#   colour. On failure the old colour stays (or is switched back).
# k8s: kubectl set image + rollout status; `kubectl rollout undo` on failure
#   (the migration Job runs first: deploy/k8s/base/job-migrate.yaml).
#
# Environment:
#   DEEPWIKI_IMAGE   image repository (default ghcr.io/deepwiki/deepwiki)
#   IMAGE_TAG        tag to deploy (default: --tag, else latest)
#   COMPOSE_FILE_PROD compose file (default docker-compose.prod.yml)
#   APP_REPLICAS     app containers for rolling (default 3)
#   HEALTH_URL       end-to-end check through nginx (default https://localhost/health)
#   HEALTH_TIMEOUT   seconds to wait for health (default 120)
#   K8S_NAMESPACE    namespace for --platform k8s (default deepwiki)
#   STATE_DIR        where the deployed tag is remembered (default .deploy)
set -euo pipefail

usage() { sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s deploy: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/.." && pwd)"
strategy="rolling"
platform="compose"
tag="${IMAGE_TAG:-latest}"
build=0
skip_backup=0
dry_run="${DRY_RUN:-0}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --strategy) strategy="${2:?}"; shift 2 ;;
        --platform) platform="${2:?}"; shift 2 ;;
        --tag) tag="${2:?}"; shift 2 ;;
        --build) build=1; shift ;;
        --skip-backup) skip_backup=1; shift ;;
        --dry-run) dry_run=1; shift ;;
        *) log "unknown argument: $1"; usage >&2; exit 2 ;;
    esac
done
case "${strategy}" in rolling | blue-green) ;; *) log "bad --strategy ${strategy}"; exit 2 ;; esac
case "${platform}" in compose | k8s) ;; *) log "bad --platform ${platform}"; exit 2 ;; esac

image="${DEEPWIKI_IMAGE:-ghcr.io/deepwiki/deepwiki}"
compose_file="${COMPOSE_FILE_PROD:-${root}/docker-compose.prod.yml}"
replicas="${APP_REPLICAS:-3}"
health_url="${HEALTH_URL:-https://localhost/health}"
health_timeout="${HEALTH_TIMEOUT:-120}"
namespace="${K8S_NAMESPACE:-deepwiki}"
state_dir="${STATE_DIR:-${root}/.deploy}"
previous_tag="$(cat "${state_dir}/current-tag" 2>/dev/null || echo "")"

# Every side effect goes through run(): --dry-run prints the plan instead.
run() {
    if [[ "${dry_run}" == "1" ]]; then
        printf 'DRY-RUN: %s\n' "$*"
        return 0
    fi
    "$@"
}
dc() { run env DEEPWIKI_IMAGE="${image}" IMAGE_TAG="${tag}" docker compose -f "${compose_file}" "$@"; }

http_ok() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -k --max-time 5 -o /dev/null "$1"
    else
        python3 - "$1" <<'PY'
import ssl, sys, urllib.request
ctx = ssl._create_unverified_context()
sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=5, context=ctx).status == 200 else 1)
PY
    fi
}

wait_http() {
    local url="$1" deadline=$((SECONDS + health_timeout))
    [[ "${dry_run}" == "1" ]] && { printf 'DRY-RUN: wait for %s\n' "${url}"; return 0; }
    until http_ok "${url}" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "${url} not healthy after ${health_timeout}s"
            return 1
        fi
        sleep 2
    done
    log "${url} is healthy"
}

wait_containers_healthy() {
    local deadline=$((SECONDS + health_timeout)) id state all
    [[ "${dry_run}" == "1" ]] && { printf 'DRY-RUN: wait for containers %s\n' "$*"; return 0; }
    while true; do
        all=1
        for id in "$@"; do
            state="$(docker inspect -f '{{.State.Health.Status}}' "${id}" 2>/dev/null || echo missing)"
            [[ "${state}" == "unhealthy" || "${state}" == "missing" ]] && { log "container ${id} is ${state}"; return 1; }
            [[ "${state}" == "healthy" ]] || all=0
        done
        ((all == 1)) && return 0
        ((SECONDS >= deadline)) && { log "containers not healthy after ${health_timeout}s"; return 1; }
        sleep 2
    done
}

nginx_reload() { dc exec -T nginx nginx -s reload; }

remember_tag() {
    run mkdir -p "${state_dir}"
    if [[ "${dry_run}" != "1" ]]; then
        printf '%s\n' "${tag}" >"${state_dir}/current-tag"
        [[ -n "${previous_tag}" ]] && printf '%s\n' "${previous_tag}" >"${state_dir}/previous-tag"
    fi
    log "deployed ${image}:${tag} (previous: ${previous_tag:-none})"
}

step_backup() {
    ((skip_backup == 1)) && { log "skipping backup (--skip-backup)"; return 0; }
    log "1/5 backup"
    if [[ "${platform}" == "k8s" ]]; then
        run kubectl -n "${namespace}" create job "backup-predeploy-$(date +%s)" --from=cronjob/deepwiki-backup
    else
        dc run --rm --no-deps backup /scripts/backup-db.sh
    fi
}

step_image() {
    log "2/5 image ${image}:${tag}"
    if ((build == 1)); then
        run docker build -t "${image}:${tag}" "${root}"
    else
        run docker pull "${image}:${tag}"
    fi
}

step_migrate() {
    log "3/5 migrations"
    dc run --rm --no-deps -e SKIP_MIGRATIONS=0 app migrate
}

deploy_rolling() {
    local old new
    old="$(dc ps -q app | tr '\n' ' ')"
    log "4/5 rolling update: old containers: ${old:-none}"
    dc up -d --no-deps --no-recreate --scale "app=$((replicas * 2))" app
    # shellcheck disable=SC2086  # word-splitting the id lists is intended
    new="$(comm -13 <(printf '%s\n' ${old} | sort) <(dc ps -q app | sort) | tr '\n' ' ')"
    # shellcheck disable=SC2086
    if ! wait_containers_healthy ${new}; then
        log "new containers failed their health check: removing them, old ones keep serving"
        # shellcheck disable=SC2086
        [[ -n "${new// /}" ]] && run docker rm -f ${new}
        return 1
    fi
    nginx_reload
    for id in ${old}; do
        log "stopping old container ${id} (SIGTERM, graceful)"
        run docker stop --time 30 "${id}"
        run docker rm "${id}"
    done
    dc up -d --no-deps --no-recreate --scale "app=${replicas}" app
    nginx_reload
    dc up -d --no-deps worker
}

deploy_blue_green() {
    local active idle
    active="$(cat "${root}/deploy/nginx/active-colour" 2>/dev/null || echo blue)"
    [[ "${active}" == "blue" ]] && idle="green" || idle="blue"
    log "4/5 blue-green: active=${active}, deploying ${idle}"
    dc --profile bluegreen up -d --no-deps "app-${idle}"
    if ! wait_containers_healthy "$(dc --profile bluegreen ps -q "app-${idle}")"; then
        log "${idle} is not healthy: stopping it, ${active} keeps serving"
        dc --profile bluegreen stop "app-${idle}"
        return 1
    fi
    run env NGINX_TEST_CMD="docker compose -f ${compose_file} exec -T nginx nginx -t -q" \
        NGINX_RELOAD_CMD="docker compose -f ${compose_file} exec -T nginx nginx -s reload" \
        "${here}/switch-upstream.sh" "${idle}" "${root}/deploy/nginx"
    if ! wait_http "${health_url}"; then
        log "health failed after the switch: back to ${active}"
        run env NGINX_TEST_CMD="docker compose -f ${compose_file} exec -T nginx nginx -t -q" \
            NGINX_RELOAD_CMD="docker compose -f ${compose_file} exec -T nginx nginx -s reload" \
            "${here}/switch-upstream.sh" "${active}" "${root}/deploy/nginx"
        dc --profile bluegreen stop "app-${idle}"
        return 1
    fi
    dc --profile bluegreen stop "app-${active}"
}

deploy_k8s() {
    log "4/5 kubernetes rolling update"
    # A Job's pod template is immutable: replace the Job, with the new image, and
    # wait for it before any pod of the new version starts (web pods skip migrations).
    run kubectl -n "${namespace}" delete job deepwiki-migrate --ignore-not-found --wait=true
    if [[ "${dry_run}" == "1" ]]; then
        printf 'DRY-RUN: kubectl apply job-migrate.yaml with image %s:%s\n' "${image}" "${tag}"
    else
        sed "s#image: .*deepwiki.*#image: ${image}:${tag}#" "${root}/deploy/k8s/base/job-migrate.yaml" |
            kubectl -n "${namespace}" apply -f -
    fi
    if ! run kubectl -n "${namespace}" wait --for=condition=complete job/deepwiki-migrate \
        --timeout="${health_timeout}s"; then
        log "migration Job failed: nothing else changed (kubectl logs job/deepwiki-migrate)"
        return 1
    fi
    run kubectl -n "${namespace}" set image deployment/deepwiki-web "web=${image}:${tag}"
    run kubectl -n "${namespace}" set image deployment/deepwiki-worker "worker=${image}:${tag}"
    if ! run kubectl -n "${namespace}" rollout status deployment/deepwiki-web --timeout="${health_timeout}s"; then
        log "rollout failed: kubectl rollout undo"
        run kubectl -n "${namespace}" rollout undo deployment/deepwiki-web
        run kubectl -n "${namespace}" rollout undo deployment/deepwiki-worker
        return 1
    fi
}

main() {
    log "deploying ${image}:${tag} strategy=${strategy} platform=${platform}"
    step_backup
    if [[ "${platform}" == "k8s" ]]; then
        deploy_k8s
        remember_tag
        return 0
    fi
    step_image
    step_migrate
    if [[ "${strategy}" == "rolling" ]]; then
        deploy_rolling || { log "deployment FAILED before the switch; nothing changed"; exit 1; }
    else
        deploy_blue_green || { log "deployment FAILED; previous colour still serves"; exit 1; }
    fi
    log "5/5 end-to-end health ${health_url}"
    if ! wait_http "${health_url}"; then
        if [[ -n "${previous_tag}" ]]; then
            log "unhealthy after deploy: rolling back to ${previous_tag}"
            run "${here}/rollback.sh" "${previous_tag}"
        fi
        exit 1
    fi
    remember_tag
}

main
