#!/usr/bin/env bash
# TEST FIXTURE — not part of a deployment. Builds local stand-ins for the upstream
# base images that the Dockerfile and the compose files name, for machines that
# cannot pull from a container registry (our CI and development VMs reach only
# the Debian, PyPI and npm package registries).
#
# Usage: standin-base-images.sh [--force] [--help]
#
# Every stand-in starts from one `debootstrap --variant=minbase bookworm` root and
# is tagged with the upstream name it replaces:
#   python:3.11-slim-bookworm   Debian python3 (3.11) + pip; /usr/local/bin/python, pip
#   node:20-bookworm-slim       this machine's Node 20 + npm copied to /usr/local
#   postgres:15-alpine          Debian postgresql-15 + a small initdb entrypoint
#   postgres:15-bookworm        (same image as postgres:15-alpine)
#   redis:7-alpine              Debian redis-server 7.0 (runs as user redis)
#   nginx:1.27-alpine           Debian nginx-light 1.22 + wget (runs as root, workers as nginx)
# What differs from the upstream images is listed in docs/deployment.md
# ("What was verified where"). This machine's CA bundle is baked in so that pip,
# npm and apt reach the package registries from inside a build.
#
# Cache: the images carry the label deepwiki.standin.recipe=<sha256 of this file
# and of the host's Node version>; they are rebuilt only when that changes (or with
# --force). The debootstrap root is kept as a tarball in STANDIN_CACHE_DIR and made
# again only when its own part of the recipe (ROOTFS_RECIPE, mirror, CA) changes.
#
# Environment:
#   CONTAINER_ENGINE     podman (default) or docker
#   STANDIN_CACHE_DIR    where the rootfs tarball is kept (default /var/cache/deepwiki-standins)
#   DEBIAN_MIRROR        debootstrap mirror (default: the first URI of /etc/apt/sources*)
#   HOST_CA_BUNDLE       CA bundle to bake in (default /etc/ssl/certs/ca-certificates.crt)
set -euo pipefail

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }
log() { printf '%s standin: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

force=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --force) force=1; shift ;;
        *) log "unknown argument: $1"; usage >&2; exit 2 ;;
    esac
done

ENGINE="${CONTAINER_ENGINE:-podman}"
CACHE="${STANDIN_CACHE_DIR:-/var/cache/deepwiki-standins}"
CA="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
SELF="$(readlink -f "$0")"

mirror="${DEBIAN_MIRROR:-}"
if [[ -z "${mirror}" ]]; then
    mirror="$(grep -h -o -E '(URIs:|deb) +https?://[^ ]+/debian\b' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 | awk '{print $2}' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
fi

command -v node >/dev/null || { log "node (20) must be installed on this machine"; exit 1; }
node_version="$(node --version)"
[[ "${node_version}" == v20.* ]] || { log "Node 20 needed, found ${node_version}"; exit 1; }
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[[ -f "${npm_dir}/package.json" ]] || { log "cannot find npm's package directory"; exit 1; }
[[ -f "${CA}" ]] || { log "no CA bundle at ${CA}"; exit 1; }

# debootstrap mounts /proc and /sys in the new root: never delete through a mount.
remove_root() {
    awk -v d="$1" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$1"
}

recipe="$( { cat "${SELF}"; echo "${node_version}"; } | sha256sum | cut -c1-16)"
LABEL="deepwiki.standin.recipe"

have() {
    local got
    got="$("${ENGINE}" image inspect --format "{{ index .Config.Labels \"${LABEL}\" }}" "$1" 2>/dev/null || true)"
    [[ "${got}" == "${recipe}" ]]
}

all_present=1
for tag in python:3.11-slim-bookworm node:20-bookworm-slim postgres:15-alpine \
    postgres:15-bookworm redis:7-alpine nginx:1.27-alpine; do
    have "docker.io/library/${tag}" || have "${tag}" || all_present=0
done
if [[ "${force}" == 0 && "${all_present}" == 1 ]]; then
    log "stand-in base images are up to date (recipe ${recipe})"
    exit 0
fi

mkdir -p "${CACHE}"
# The root is rebuilt only when ROOTFS_RECIPE, the mirror or the CA bundle change.
ROOTFS_RECIPE=1
rootfs_key="$( { echo "${ROOTFS_RECIPE} ${mirror}"; cat "${CA}"; } | sha256sum | cut -c1-16)"
rootfs_tar="${CACHE}/bookworm-minbase-${rootfs_key}.tar"
if [[ "${force}" == 1 || ! -s "${rootfs_tar}" ]]; then
    command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
    work="$(mktemp -d "${CACHE}/rootfs.XXXXXX")"
    trap 'remove_root "${work}"' EXIT
    log "debootstrap --variant=minbase bookworm from ${mirror}"
    debootstrap --variant=minbase --include=ca-certificates bookworm "${work}/root" "${mirror}" >"${work}/debootstrap.log" 2>&1 \
        || { tail -n 30 "${work}/debootstrap.log" >&2; exit 1; }
    # Laid out like the upstream Debian images: the three suites, no docs, no apt cache.
    rm -f "${work}/root/etc/apt/sources.list"
    cat >"${work}/root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    cat >"${work}/root/etc/dpkg/dpkg.cfg.d/docker-excludes" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
    echo 'APT::Install-Recommends "false";' >"${work}/root/etc/apt/apt.conf.d/90no-recommends"
    # This machine's CA bundle: registries are reached only through it.
    install -m 0644 "${CA}" "${work}/root/usr/local/share/ca-certificates/deepwiki-test-host-bundle.crt"
    install -m 0644 "${CA}" "${work}/root/etc/ssl/certs/ca-certificates.crt"
    rm -rf "${work}/root/var/cache/apt/archives/"*.deb "${work}/root/var/lib/apt/lists/"* \
        "${work}/root/usr/share/doc" "${work}/root/usr/share/man" "${work}/root/usr/share/locale"
    tar -C "${work}/root" --numeric-owner -cf "${rootfs_tar}.partial" .
    mv -f "${rootfs_tar}.partial" "${rootfs_tar}"
    remove_root "${work}"
    trap - EXIT
    # Older recipes' roots are of no further use.
    find "${CACHE}" -maxdepth 1 -name 'bookworm-minbase-*.tar' ! -name "$(basename "${rootfs_tar}")" -delete
fi

base="localhost/deepwiki-standin-bookworm:${recipe}"
log "importing the root as ${base}"
"${ENGINE}" import -q --change "LABEL ${LABEL}=${recipe}" --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    "${rootfs_tar}" "${base}" >/dev/null

ctx="$(mktemp -d)"
trap 'rm -rf "${ctx}"' EXIT

build() {  # build TAG... < Containerfile
    local first="$1"
    cat >"${ctx}/Containerfile"
    log "building ${first}"
    local tags=()
    for t in "$@"; do tags+=(-t "${t}"); done
    "${ENGINE}" build --pull=never --label "${LABEL}=${recipe}" \
        --label "deepwiki.standin=test fixture, not the upstream image" \
        "${tags[@]}" -f "${ctx}/Containerfile" "${ctx}" >"${ctx}/build.log" 2>&1 \
        || { tail -n 40 "${ctx}/build.log" >&2; exit 1; }
}

APT='apt-get update && apt-get install -y --no-install-recommends'
CLEAN='apt-get clean && rm -rf /var/lib/apt/lists/*'

# python:3.11-slim-bookworm — Debian's python3 is 3.11. pip installs system-wide into
# /usr/local (as in the upstream image), so Debian's PEP 668 marker is removed.
build python:3.11-slim-bookworm <<EOF
FROM ${base}
RUN ${APT} python3 python3-pip python3-venv && ${CLEAN} \\
    && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED \\
    && ln -s /usr/bin/python3 /usr/local/bin/python \\
    && ln -s /usr/bin/python3 /usr/local/bin/python3 \\
    && ln -s /usr/bin/pip3 /usr/local/bin/pip \\
    && ln -s /usr/bin/pip3 /usr/local/bin/pip3
ENV PYTHON_VERSION=3.11
CMD ["python3"]
EOF

# node:20-bookworm-slim — Debian 12 ships Node 18, so this machine's Node 20 and npm
# are copied in, at the upstream paths.
mkdir -p "${ctx}/node/bin" "${ctx}/node/lib/node_modules"
cp "$(readlink -f "$(command -v node)")" "${ctx}/node/bin/node"
cp -a "${npm_dir}" "${ctx}/node/lib/node_modules/npm"
build node:20-bookworm-slim <<EOF
FROM ${base}
COPY node /usr/local
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
    && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NODE_VERSION=${node_version#v}
CMD ["node"]
EOF
rm -rf "${ctx}/node"

# postgres:15 — the upstream entrypoint's essentials: POSTGRES_USER/PASSWORD/DB on an
# empty PGDATA, password auth from the network, run as user postgres.
cat >"${ctx}/pg-entrypoint.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
if [[ "${1:-}" != "postgres" ]]; then exec "$@"; fi
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
mkdir -p "${PGDATA}" /var/run/postgresql
chown postgres:postgres "${PGDATA}" /var/run/postgresql
chmod 0700 "${PGDATA}"
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [[ ! -s "${PGDATA}/PG_VERSION" ]]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    user="${POSTGRES_USER:-postgres}"
    printf '%s\n' "${POSTGRES_PASSWORD}" >/tmp/pwfile
    chown postgres /tmp/pwfile
    as_pg initdb --username="${user}" --pwfile=/tmp/pwfile --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f /tmp/pwfile
    printf "listen_addresses = '*'\n" >>"${PGDATA}/postgresql.conf"
    printf 'host all all all scram-sha-256\n' >>"${PGDATA}/pg_hba.conf"
    db="${POSTGRES_DB:-${user}}"
    if [[ "${db}" != "postgres" ]]; then
        as_pg postgres --single -D "${PGDATA}" postgres <<<"CREATE DATABASE \"${db}\" OWNER \"${user}\";" >/dev/null
    fi
    echo "stand-in postgres: initialised ${PGDATA} (user ${user}, database ${db})"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
EOF
build postgres:15-alpine postgres:15-bookworm <<EOF
FROM ${base}
RUN mkdir -p /etc/postgresql-common \\
    && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \\
    && ${APT} postgresql-15 postgresql-client-15 && ${CLEAN} \\
    && ln -s /usr/lib/postgresql/15/bin/* /usr/local/bin/ 2>/dev/null; \\
    rm -f /etc/postgresql/15/main/*.conf.bak; mkdir -p /var/lib/postgresql/data \\
    && chown -R postgres:postgres /var/lib/postgresql
COPY --chmod=0755 pg-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data PG_MAJOR=15
VOLUME /var/lib/postgresql/data
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
EOF

# redis:7 — as upstream without a config file: protected mode off, dir /data.
cat >"${ctx}/redis-entrypoint.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
if [[ "${1:-}" == redis-server ]]; then
    shift
    exec setpriv --reuid=redis --regid=redis --init-groups redis-server --protected-mode no "$@"
fi
exec "$@"
EOF
build redis:7-alpine <<EOF
FROM ${base}
RUN ${APT} redis-server && ${CLEAN} && mkdir -p /data && chown redis:redis /data
COPY --chmod=0755 redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
EOF

# nginx — Debian's nginx-light, laid out like the upstream image (user nginx,
# /etc/nginx/mime.types, /var/cache/nginx, logs to stdout/stderr) plus wget.
build nginx:1.27-alpine <<EOF
FROM ${base}
RUN ${APT} nginx-light wget && ${CLEAN} \\
    && useradd --system --no-create-home --shell /usr/sbin/nologin nginx \\
    && rm -f /etc/nginx/sites-enabled/default \\
    && mkdir -p /var/cache/nginx && chown nginx /var/cache/nginx \\
    && rm -rf /var/lib/nginx && ln -s /var/cache/nginx /var/lib/nginx \\
    && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
STOPSIGNAL SIGQUIT
EXPOSE 80 443
CMD ["nginx", "-g", "daemon off;"]
EOF

"${ENGINE}" rmi "${base}" >/dev/null 2>&1 || true
log "stand-in base images built (recipe ${recipe})"
