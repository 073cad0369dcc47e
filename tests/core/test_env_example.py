"""`.env.example` lists every variable the code reads, and nothing else."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = [
    ROOT / "src/deepwiki/config/env.py",
    ROOT / "src/deepwiki/config/settings.py",
    ROOT / "src/deepwiki/config/gunicorn.py",
    ROOT / "src/deepwiki/cli.py",
]
# Set by the runtime for us, not by the operator.
IMPLICIT = {"DJANGO_SETTINGS_MODULE"}
# The reference deployment's names, accepted as aliases and mentioned in comments.
ALIASES = {"NEXTAUTH_SECRET", "NEXTAUTH_URL", "NODE_ENV"}


def _read_by_deploy_files() -> set[str]:
    names: set[str] = set()
    files = [*ROOT.glob("scripts/*.sh"), *ROOT.glob("docker-compose*.yml")]
    for path in files:
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", path.read_text()))
    return names


def _documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.M))


def _read_by_code() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(
        r"""(?:_str|_bool|_int|_list|environ\.get|getenv|env\._str|env\._bool)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    for path in READERS:
        names |= set(pattern.findall(path.read_text()))
    return names - IMPLICIT


def test_every_variable_the_code_reads_is_documented():
    text = (ROOT / ".env.example").read_text()
    assert all(alias in text for alias in ALIASES)
    missing = _read_by_code() - _documented() - ALIASES
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_env_example_documents_no_unknown_variable():
    extra = _documented() - _read_by_code() - _read_by_deploy_files() - ALIASES
    assert not extra, f"not read anywhere: {sorted(extra)}"


def test_only_config_env_reads_the_environment():
    """Every setting has one reader and one default: config/env.py."""
    reads = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[[^\]]+\](?!\s*=)")
    offenders = []
    for path in (ROOT / "src/deepwiki").rglob("*.py"):
        if path.name == "env.py" and path.parent.name == "config":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if reads.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_importing_settings_creates_no_directories(tmp_path):
    """Reading the configuration has no side effects on the file system."""
    import os
    import subprocess
    import sys

    data_dir = tmp_path / "not-yet"
    env = {
        **os.environ,
        "DEEPWIKI_DATA_DIR": str(data_dir),
        "DEEPWIKI_SECRET_KEY": "x" * 60,
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", "import deepwiki.config.settings"],
        env=env,
        check=True,
    )
    assert not data_dir.exists()
