"""Refuse to run in production with an unsafe configuration, and say why."""

from django.conf import settings
from django.core.checks import Error, Tags, register


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
