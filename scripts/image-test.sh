#!/usr/bin/env bash
# Build the DeepWiki image and run the checks on the running image (`make image-test`).
#
# Usage: image-test.sh [build|test|env] [PYTEST ARGS...]
#
#   build   build the image (tag $IMAGE, default deepwiki:test); print build time and size
#   test    build, then run the image and compose checks (pytest -m image) — default
#   env     print the environment the checks use (engine, podman configuration)
#
# Engine: docker when its daemon answers, else podman. Upstream base images are
# pulled by docker; with podman on a machine that cannot reach a container registry
# the bases are the stand-ins of scripts/standin-base-images.sh (a TEST FIXTURE),
# kept in a podman store of their own (IMAGE_TEST_STORE) so they never shadow real
# images. IMAGE_BASES=upstream uses the upstream images with podman too.
#
# Environment:
#   IMAGE                tag to build (default deepwiki:test)
#   CONTAINER_ENGINE     force docker or podman
#   IMAGE_BASES          standin (podman default) or upstream
#   IMAGE_TEST_STORE     podman store for the checks (default /var/cache/deepwiki-image-test)
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s image-test: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cmd="${1:-test}"
case "${cmd}" in
    -h | --help) usage; exit 0 ;;
    build | test | env) shift || true ;;
    *) log "unknown command: ${cmd}"; usage >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
IMAGE="${IMAGE:-deepwiki:test}"

engine="${CONTAINER_ENGINE:-}"
if [[ -z "${engine}" ]]; then
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
        engine=docker
    elif command -v podman >/dev/null; then
        engine=podman
    else
        log "neither a running docker nor podman found (apt-get install podman runc)"
        exit 3
    fi
fi
bases="${IMAGE_BASES:-}"
if [[ -z "${bases}" ]]; then
    if [[ "${engine}" == podman ]]; then bases=standin; else bases=upstream; fi
fi

if [[ "${engine}" == podman ]]; then
    store="${IMAGE_TEST_STORE:-/var/cache/deepwiki-image-test}"
    mkdir -p "${store}"
    # runc and cgroupfs, no default ulimits and no pids limit: what works in VMs
    # without systemd (crun and the default ulimits are refused there).
    cat >"${store}/containers.conf" <<'EOF'
[containers]
default_ulimits = []
pids_limit = 0
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
EOF
    cat >"${store}/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "${store}/storage"
runroot = "/run/deepwiki-image-test"
EOF
    export CONTAINERS_CONF="${store}/containers.conf"
    export CONTAINERS_STORAGE_CONF="${store}/storage.conf"
fi
export CONTAINER_ENGINE="${engine}" IMAGE_BASES="${bases}" DEEPWIKI_TEST_IMAGE="${IMAGE}"

if [[ "${cmd}" == env ]]; then
    for v in CONTAINER_ENGINE IMAGE_BASES DEEPWIKI_TEST_IMAGE CONTAINERS_CONF CONTAINERS_STORAGE_CONF; do
        [[ -n "${!v:-}" ]] && printf 'export %s=%q\n' "${v}" "${!v}"
    done
    exit 0
fi

build_opts=()
# podman writes OCI images by default, which have no HEALTHCHECK.
[[ "${engine}" == podman ]] && build_opts+=(--format docker)
if [[ "${bases}" == standin ]]; then
    CONTAINER_ENGINE="${engine}" "${ROOT}/scripts/standin-base-images.sh"
    build_opts+=(--pull=never)
fi

log "building ${IMAGE} with ${engine} (bases: ${bases})"
t0=$(date +%s)
build() {
    "${engine}" build "${build_opts[@]}" "$@" -t "${IMAGE}" \
        --build-arg VERSION="$(git -C "${ROOT}" describe --always --dirty 2>/dev/null || echo dev)" \
        --build-arg VCS_REF="$(git -C "${ROOT}" rev-parse HEAD 2>/dev/null || echo unknown)" \
        -f "${ROOT}/Dockerfile" "${ROOT}"
}
# podman 4.3 (buildah 1.28) mounts an empty directory for `RUN --mount=from=builder`
# when the builder stage comes entirely from the layer cache but the runtime stage
# does not; the pip install then finds no wheels. Build again without the cache.
if ! build; then
    [[ "${engine}" == podman ]] || exit 1
    log "build failed; retrying without the layer cache (buildah stage-mount bug)"
    build --no-cache
fi
t1=$(date +%s)
size=$("${engine}" image inspect --format '{{.Size}}' "${IMAGE}")
printf 'image %s: built in %ss, size %s MB\n' "${IMAGE}" "$((t1 - t0))" "$((size / 1000000))"

if [[ "${cmd}" == test ]]; then
    export DEEPWIKI_IMAGE_TESTS=1 DEEPWIKI_IMAGE_BUILD_SECONDS="$((t1 - t0))"
    py="${ROOT}/.venv/bin/python"
    [[ -x "${py}" ]] || py=python3
    cd "${ROOT}"
    DEEPWIKI_DATA_DIR="$(mktemp -d)" exec "${py}" -m pytest -m image -v -p no:randomly \
        tests/deploy/test_image.py tests/deploy/test_compose.py "$@"
fi
