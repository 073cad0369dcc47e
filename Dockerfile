# syntax=docker/dockerfile:1.7
# DeepWiki container image: three stages, non-root runtime (uid/gid 1001).
#   docker build -t deepwiki .
#   docker run -p 8000:8000 -e DEEPWIKI_SECRET_KEY=... deepwiki          (web, default)
#   docker run deepwiki worker | migrate | deepwiki check --deploy

ARG PYTHON_VERSION=3.11
ARG NODE_VERSION=20

# ---- 1. front-end assets (Mermaid copied into static/vendor) ---------------------
FROM node:${NODE_VERSION}-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY scripts/copy-assets.mjs scripts/copy-assets.mjs
COPY src/deepwiki/static src/deepwiki/static
RUN npm run build

# ---- 2. Python wheels (build tools live only here) -------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
# Dependencies first: this layer is reused while only the source changes.
COPY pyproject.toml README.md ./
RUN mkdir -p src/deepwiki && printf '__version__ = "0"\n' > src/deepwiki/__init__.py \
    && pip wheel --wheel-dir /wheels . \
    && rm -f /wheels/deepwiki-*.whl
COPY src ./src
COPY --from=assets /build/src/deepwiki/static/vendor ./src/deepwiki/static/vendor
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && sha256sum /wheels/*.whl > /wheels/SHA256SUMS

# ---- 3. runtime ---------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# postgresql-client: pg_dump/pg_restore for `deepwiki backup` and backup-db.sh.
# tini: PID 1 that forwards SIGTERM to gunicorn and reaps children.
# Unpinned on purpose: Debian stable only ships security fixes for these.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 deepwiki \
    && useradd --system --uid 1001 --gid 1001 --home-dir /app --shell /usr/sbin/nologin deepwiki

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEEPWIKI_ENV=production \
    DEEPWIKI_DATA_DIR=/app/data \
    DEEPWIKI_STATIC_ROOT=/app/staticfiles \
    LOG_FORMAT=json \
    PORT=8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus

WORKDIR /app
# The checksum list is copied (not mounted) so that a new wheel invalidates the
# install layer: a build cache keys a bind mount by its instruction, not its content.
COPY --from=builder /wheels/SHA256SUMS /tmp/wheels.sha256
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    sha256sum --check --quiet /tmp/wheels.sha256 \
    && pip install --no-index --find-links=/wheels /wheels/deepwiki-*.whl \
    && rm /tmp/wheels.sha256
# Root-owned and read-only for the app user: it cannot rewrite its own entrypoint.
COPY --chmod=0755 scripts/entrypoint.sh scripts/backup-db.sh scripts/restore-db.sh scripts/

# Static files are collected at build time (hashed names, WhiteNoise manifest).
# A throw-away key only for this step; the real one comes from the environment.
RUN DEEPWIKI_SECRET_KEY=collectstatic-only-not-a-secret DEEPWIKI_ALLOWED_HOSTS=localhost \
    deepwiki collectstatic --noinput \
    && mkdir -p /app/data /tmp/prometheus \
    && chown -R 1001:1001 /app/data /tmp/prometheus

# Last, so a new commit does not invalidate the cached layers above.
ARG VERSION=dev
ARG VCS_REF=unknown
LABEL org.opencontainers.image.title="DeepWiki" \
      org.opencontainers.image.description="Self-hosted documentation wiki" \
      org.opencontainers.image.source="https://github.com/deepwiki/deepwiki" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.licenses="MIT"

USER 1001:1001
EXPOSE 8000
VOLUME ["/app/data"]
STOPSIGNAL SIGTERM
# /readyz: healthy only while the database and storage answer (unhealthy when the
# database is stopped, healthy again once it is back; no restart needed).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os,sys,urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('PORT', '8000'), timeout=4).status == 200 else 1)"]
ENTRYPOINT ["/usr/bin/tini", "--", "scripts/entrypoint.sh"]
CMD ["web"]
