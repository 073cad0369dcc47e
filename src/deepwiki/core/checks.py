"""Refuse to run in production with an unsafe configuration, and say why."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Cache backends whose entries live inside one process only.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


ANY_HOST = (
    "DEEPWIKI_ALLOWED_HOSTS is '*': any Host header is accepted, so links and "
    "redirects can be made to point elsewhere. List the real host names."
)
NO_BASE_URL = (
    "DEEPWIKI_BASE_URL is not set: password-reset links in e-mails would point at "
    "{url}. Set it to the public address, e.g. https://wiki.example.org."
)


def production_problems() -> list[str]:
    """List what makes the current production configuration unsafe."""
    config = settings.CONFIG
    if not config.production:
        return []
    problems = []
    if config.secret_key_generated or not config.secret_key:
        problems.append(
            "DEEPWIKI_SECRET_KEY is not set: set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    elif len(config.secret_key) < 32 or "change" in config.secret_key.lower():
        problems.append(
            "DEEPWIKI_SECRET_KEY looks like a placeholder or is shorter than 32 "
            "characters: use a long random value."
        )
    if config.debug:
        problems.append("DEEPWIKI_DEBUG is on: turn it off in production.")
    if not config.allowed_hosts:
        problems.append(
            "DEEPWIKI_ALLOWED_HOSTS is empty: list the host names DeepWiki is "
            "served under (comma-separated)."
        )
    if "*" in config.allowed_hosts:
        problems.append(ANY_HOST)
    if not config.secure_cookies and not config.allow_insecure_cookies:
        problems.append(
            "SECURE_COOKIES is off: serve over HTTPS and set SECURE_COOKIES=true, "
            "or set DEEPWIKI_ALLOW_INSECURE_COOKIES=true to accept the risk."
        )
    return problems


@register(Tags.security, deploy=False)
def check_production_config(app_configs=None, **kwargs):
    return [
        Error(problem, id="deepwiki.E001", hint="See docs/deployment.md")
        for problem in production_problems()
    ]


def per_process_cache_problem(workers: int) -> str | None:
    """Say why a per-process cache is wrong when several workers serve requests."""
    backend = settings.CACHES["default"]["BACKEND"]
    if workers <= 1 or backend not in PER_PROCESS_CACHES:
        return None
    return (
        f"{workers} workers run with a per-process cache ({backend.rsplit('.', 1)[-1]}):"
        " a sign-out, a permission change or a settings change made through one "
        "worker is not seen by the others. Use the default file cache in the data "
        "dir or set REDIS_URL, or run one worker (WEB_CONCURRENCY=1)."
    )


@register(Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    problem = per_process_cache_problem(settings.CONFIG.web_concurrency)
    if problem is None:
        return []
    return [Warning(problem, id="deepwiki.W001", hint="See docs/deployment.md")]


@register(Tags.security, deploy=True)
def check_deploy_config(app_configs=None, **kwargs):
    """`deepwiki check --deploy`: refuse what only works on a developer's machine."""
    config = settings.CONFIG
    problems = []
    if "*" in config.allowed_hosts:
        problems.append(ANY_HOST)
    if not config.base_url_set:
        problems.append(NO_BASE_URL.format(url=config.base_url))
    errors = [
        Error(problem, id="deepwiki.E002", hint="See docs/deployment.md")
        for problem in problems
    ]
    if not config.metrics_token:
        errors.append(
            Warning(
                "METRICS_TOKEN is not set: /metrics stays closed in production.",
                id="deepwiki.W002",
                hint="Set METRICS_TOKEN and give it to Prometheus as a bearer token.",
            )
        )
    return errors
