"""Production refuses to start on an unsafe configuration, and says why."""

import os
import subprocess
import sys

import pytest

SAFE = {
    "DEEPWIKI_ENV": "production",
    "DEEPWIKI_SECRET_KEY": "k" * 20 + "Zx9-long-random-value-for-tests",
    "DEEPWIKI_ALLOWED_HOSTS": "wiki.example.org",
    "SECURE_COOKIES": "true",
    "DEEPWIKI_DEBUG": "false",
}


def run_check(env_overrides, tmp_path, *options):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEEPWIKI_", "SECURE_", "DATABASE_URL", "REDIS_URL"))
        and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "METRICS_TOKEN")  # set by tests
    }
    env.update(SAFE)
    env["DEEPWIKI_DATA_DIR"] = str(tmp_path)
    env["DEEPWIKI_STATIC_MANIFEST"] = "false"
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "deepwiki", "check", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_safe_production_configuration_passes(tmp_path):
    result = run_check({}, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"DEEPWIKI_SECRET_KEY": None}, "DEEPWIKI_SECRET_KEY is not set"),
        ({"DEEPWIKI_SECRET_KEY": "change-me"}, "placeholder"),
        ({"DEEPWIKI_DEBUG": "true"}, "DEEPWIKI_DEBUG is on"),
        ({"DEEPWIKI_ALLOWED_HOSTS": None}, "DEEPWIKI_ALLOWED_HOSTS is empty"),
        ({"SECURE_COOKIES": "false"}, "SECURE_COOKIES is off"),
    ],
)
def test_unsafe_production_configuration_is_refused_with_the_reason(
    tmp_path, overrides, expected
):
    result = run_check(overrides, tmp_path)
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout


def test_insecure_cookies_can_be_accepted_explicitly(tmp_path):
    result = run_check(
        {"SECURE_COOKIES": "false", "DEEPWIKI_ALLOW_INSECURE_COOKIES": "true"}, tmp_path
    )
    assert result.returncode == 0, result.stderr


def test_bad_boolean_value_is_a_clear_error(tmp_path):
    result = run_check({"SECURE_COOKIES": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "SECURE_COOKIES must be true or false" in result.stderr


def test_development_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    from deepwiki.config import env

    monkeypatch.setenv("DEEPWIKI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DEEPWIKI_SECRET_KEY", raising=False)
    monkeypatch.setenv("DEEPWIKI_ENV", "development")
    first = env.load().secret_key
    assert len(first) > 40
    assert env.load().secret_key == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


DEPLOY_SAFE = {"DEEPWIKI_BASE_URL": "https://wiki.example.org"}


def test_safe_production_configuration_passes_the_deploy_check(tmp_path):
    result = run_check(DEPLOY_SAFE, tmp_path, "--deploy")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"DEEPWIKI_ALLOWED_HOSTS": "*"}, "DEEPWIKI_ALLOWED_HOSTS is '*'"),
        ({"DEEPWIKI_ALLOWED_HOSTS": "wiki.example.org,*"}, "is '*'"),
        ({"DEEPWIKI_BASE_URL": None}, "DEEPWIKI_BASE_URL is not set"),
    ],
)
def test_deploy_check_refuses_any_host_and_a_missing_base_url(
    tmp_path, overrides, expected
):
    result = run_check({**DEPLOY_SAFE, **overrides}, tmp_path, "--deploy")
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout


def test_production_refuses_any_host_even_without_deploy(tmp_path):
    result = run_check({"DEEPWIKI_ALLOWED_HOSTS": "*"}, tmp_path)
    assert result.returncode != 0
    assert "DEEPWIKI_ALLOWED_HOSTS is '*'" in result.stderr + result.stdout


def test_deploy_check_warns_that_metrics_stay_closed_without_a_token(tmp_path):
    result = run_check(DEPLOY_SAFE, tmp_path, "--deploy")
    assert "METRICS_TOKEN is not set" in result.stderr + result.stdout
    with_token = run_check(
        {**DEPLOY_SAFE, "METRICS_TOKEN": "t" * 32}, tmp_path, "--deploy"
    )
    assert "METRICS_TOKEN is not set" not in with_token.stderr + with_token.stdout


def test_development_links_follow_the_served_port(monkeypatch, tmp_path):
    from deepwiki.config import env

    monkeypatch.setenv("DEEPWIKI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DEEPWIKI_BASE_URL", raising=False)
    monkeypatch.delenv("NEXTAUTH_URL", raising=False)
    monkeypatch.setenv("PORT", "8400")
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - a value, not a bind
    assert env.load().base_url == "http://127.0.0.1:8400"
    monkeypatch.setenv("HOST", "wiki.lan")
    assert env.load().base_url == "http://wiki.lan:8400"
    monkeypatch.setenv("DEEPWIKI_BASE_URL", "https://wiki.example.org")
    assert env.load().base_url == "https://wiki.example.org"
