"""Shared helpers for the deployment-kit tests (no Django test database needed)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
NGINX_DIR = ROOT / "deploy" / "nginx"
K8S_DIR = ROOT / "deploy" / "k8s"
SCHEMAS = Path(__file__).resolve().parent / "schemas"


FIGURES: list[str] = []


def report(line: str) -> None:
    """Keep a drill's figures for the end of the test run (shown even with -q)."""
    FIGURES.append(line.strip())


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("deployment drill figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str):
    """Skip locally, fail in CI: a missing tool must not turn CI green."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


def tool(name: str) -> str:
    """Return the path of a command-line tool from the venv or PATH, or skip/fail."""
    venv_bin = Path(sys.executable).parent / name
    if venv_bin.exists():
        return str(venv_bin)
    found = shutil.which(name)
    if not found:
        missing(f"{name} is not installed")
    return found


@pytest.fixture
def root() -> Path:
    return ROOT
