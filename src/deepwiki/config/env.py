"""The only module that reads the process environment.

Every setting DeepWiki understands is parsed here into a typed `Config`, with
defaults that run the embedded setup (SQLite, local files, a cache shared by
every worker in the data dir, console e-mail) when nothing is set.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A variable holds a value DeepWiki cannot use."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class S3Config:
    bucket: str
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str
    public_url: str


@dataclass(frozen=True)
class Config:
    environment: str
    debug: bool
    data_dir: Path
    secret_key: str
    secret_key_generated: bool
    allowed_hosts: list[str]
    base_url: str
    base_url_set: bool
    database_url: str
    db_conn_max_age: int
    db_pool: bool
    redis_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_pass: str
    smtp_tls: bool
    email_from: str
    secure_cookies: bool
    allow_insecure_cookies: bool
    trust_proxy: bool
    proxy_count: int
    log_level: str
    log_format: str
    metrics_token: str
    s3: S3Config | None
    max_upload_mb: int
    max_file_mb: int
    max_files: int
    max_unzipped_mb: int
    max_render_mb: int
    inline_render_mb: int
    render_seconds: int
    upload_rate: str
    task_backend: str
    search_configs: tuple[str, ...]
    render_workers: int
    web_concurrency: int
    seed_demo: bool
    static_root: str
    static_manifest: bool
    secure_ssl_redirect: bool
    external_images: str = "allow"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"


def _secret_key(data_dir: Path, production: bool) -> tuple[str, bool]:
    """Use DEEPWIKI_SECRET_KEY, else a random key kept in the data dir."""
    key = _str("DEEPWIKI_SECRET_KEY") or _str("NEXTAUTH_SECRET")
    if key:
        return key, False
    if production:
        return "", True
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip(), True
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key, True


def _s3() -> S3Config | None:
    bucket = _str("S3_BUCKET") or _str("CLOUDFLARE_R2_BUCKET_NAME")
    if not bucket:
        return None
    account = _str("CLOUDFLARE_R2_ACCOUNT_ID")
    endpoint = _str("S3_ENDPOINT_URL")
    if not endpoint and account:
        endpoint = f"https://{account}.r2.cloudflarestorage.com"
    return S3Config(
        bucket=bucket,
        endpoint_url=endpoint,
        access_key=_str("S3_ACCESS_KEY_ID") or _str("CLOUDFLARE_R2_ACCESS_KEY_ID"),
        secret_key=_str("S3_SECRET_ACCESS_KEY")
        or _str("CLOUDFLARE_R2_SECRET_ACCESS_KEY"),
        region=_str("S3_REGION", "auto" if account else "us-east-1"),
        public_url=_str("CLOUDFLARE_R2_PUBLIC_URL"),
    )


def _served_url() -> str:
    """Where `deepwiki serve` listens (it sets HOST and PORT): the development
    default for links in e-mails when DEEPWIKI_BASE_URL is not set."""
    host = _str("HOST", "127.0.0.1")
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - naming, not binding
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{_int('PORT', 8000)}"


def load() -> Config:
    """Read the environment once into a Config."""
    environment = _str("DEEPWIKI_ENV", _str("NODE_ENV", "development")).lower()
    if environment not in {"development", "production", "test"}:
        raise ConfigError(
            f"DEEPWIKI_ENV must be development, production or test, not {environment!r}"
        )
    production = environment == "production"
    data_dir = Path(_str("DEEPWIKI_DATA_DIR", "data")).resolve()
    secret_key, generated = _secret_key(data_dir, production)
    trust_proxy = _bool("TRUST_PROXY", False)
    # How many of our own proxies append to X-Forwarded-For (see core/client.py).
    proxy_count = _int("DEEPWIKI_PROXY_COUNT", 1) if trust_proxy else 0
    if proxy_count < 0:
        raise ConfigError("DEEPWIKI_PROXY_COUNT must be 0 or more")
    explicit_base_url = _str("DEEPWIKI_BASE_URL", _str("NEXTAUTH_URL"))
    return Config(
        environment=environment,
        debug=_bool("DEEPWIKI_DEBUG", not production),
        data_dir=data_dir,
        secret_key=secret_key,
        secret_key_generated=generated,
        allowed_hosts=_list(
            "DEEPWIKI_ALLOWED_HOSTS",
            [] if production else ["localhost", "127.0.0.1", "[::1]", "testserver"],
        ),
        base_url=explicit_base_url or _served_url(),
        base_url_set=bool(explicit_base_url),
        database_url=_str("DATABASE_URL"),
        db_conn_max_age=_int("DB_CONN_MAX_AGE", 600),
        db_pool=_bool("DB_POOL", False),
        redis_url=_str("REDIS_URL"),
        smtp_host=_str("SMTP_HOST"),
        smtp_port=_int("SMTP_PORT", 587),
        smtp_user=_str("SMTP_USER"),
        smtp_pass=_str("SMTP_PASS"),
        smtp_tls=_bool("SMTP_TLS", False),
        email_from=_str("EMAIL_FROM", "DeepWiki <no-reply@localhost>"),
        secure_cookies=_bool("SECURE_COOKIES", production),
        allow_insecure_cookies=_bool("DEEPWIKI_ALLOW_INSECURE_COOKIES", False),
        trust_proxy=trust_proxy,
        proxy_count=proxy_count,
        log_level=_str("LOG_LEVEL", "INFO").upper(),
        log_format=_str("LOG_FORMAT", "json" if production else "console").lower(),
        metrics_token=_str("METRICS_TOKEN"),
        s3=_s3(),
        max_upload_mb=_int("DEEPWIKI_MAX_UPLOAD_MB", 50),
        max_file_mb=_int("DEEPWIKI_MAX_FILE_MB", 10),
        max_files=_int("DEEPWIKI_MAX_FILES", 5000),
        max_unzipped_mb=_int("DEEPWIKI_MAX_UNZIPPED_MB", 200),
        # Rendering is the expensive part of an upload (about 1-2 MB of Markdown
        # per CPU second): one upload renders at most this much, and above the
        # inline size it is rendered by a background task.
        max_render_mb=_int("DEEPWIKI_MAX_RENDER_MB", 32),
        inline_render_mb=_int("DEEPWIKI_INLINE_RENDER_MB", 2),
        render_seconds=_int("DEEPWIKI_RENDER_SECONDS", 30),
        upload_rate=_str("DEEPWIKI_UPLOAD_RATE", "60/h"),
        task_backend=_str("DEEPWIKI_TASKS", "immediate").lower(),
        search_configs=tuple(_list("DEEPWIKI_SEARCH_CONFIGS", ["simple", "english"])),
        render_workers=_int("DEEPWIKI_RENDER_WORKERS", min(4, os.cpu_count() or 1)),
        web_concurrency=_int("WEB_CONCURRENCY", 2),
        seed_demo=_bool("DEEPWIKI_SEED_DEMO", False),
        static_root=_str("DEEPWIKI_STATIC_ROOT"),
        static_manifest=_bool("DEEPWIKI_STATIC_MANIFEST", production),
        secure_ssl_redirect=_bool("SECURE_SSL_REDIRECT", False),
        external_images=_choice(
            "DEEPWIKI_EXTERNAL_IMAGES",
            _str("DEEPWIKI_EXTERNAL_IMAGES", "allow"),
            ("allow", "block"),
        ),
    )


@dataclass(frozen=True)
class ServeConfig:
    """How `deepwiki serve` and gunicorn run (read before Django is set up)."""

    host: str
    port: int
    workers: int
    threads: int
    graceful_timeout: int
    timeout: int
    max_requests: int
    metrics_dir: str


def load_serve() -> ServeConfig:
    """Read the server's own settings: HOST, PORT, WEB_CONCURRENCY, … ."""
    return ServeConfig(
        host=_str("HOST", "127.0.0.1"),
        port=_int("PORT", 8000),
        workers=_int("WEB_CONCURRENCY", 2),
        threads=_int("WEB_THREADS", 4),
        graceful_timeout=_int("GRACEFUL_TIMEOUT", 30),
        timeout=_int("WEB_TIMEOUT", 60),
        max_requests=_int("MAX_REQUESTS", 0),
        metrics_dir=_str("PROMETHEUS_MULTIPROC_DIR"),
    )


def _choice(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    """Check a variable holds one of a few words; empty means the first."""
    value = raw.lower() or allowed[0]
    if value not in allowed:
        raise ConfigError(f"{name} must be {' or '.join(allowed)}, not {value!r}")
    return value
