"""Behaviour of scripts/*.sh, driven with a fake `deepwiki` command (fast, no services)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SCRIPTS

FAKE = """\
import os, sys
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
cmd = sys.argv[1] if len(sys.argv) > 1 else ""
if cmd in os.environ.get("FAKE_FAIL", "").split(","):
    sys.exit(1)
if cmd == "backup":
    import gzip
    with gzip.open(sys.argv[2], "wb") as out:
        out.write(b"fake archive")
"""


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_deepwiki.py"
    script.write_text(FAKE)
    log = tmp_path / "calls.log"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEEPWIKI_BIN": f"{sys.executable} {script}",
        "FAKE_LOG": str(log),
    }
    return env, log


def sh(script: str, *args, env, cwd=None, timeout=30) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


CHECK = "check --database default --fail-level ERROR"


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


# ---- entrypoint.sh ------------------------------------------------------------------


def test_entrypoint_web_waits_migrates_then_serves(fake):
    env, log = fake
    proc = sh("entrypoint.sh", env={**env, "PORT": "8123", "DB_WAIT_TIMEOUT": "7"})
    assert proc.returncode == 0, proc.stderr
    assert calls(log) == [
        "waitfordb --timeout 7",
        "migrate --noinput",
        CHECK,
        "serve --host 0.0.0.0 --port 8123",
    ]


def test_entrypoint_never_seeds_unless_asked(fake):
    env, log = fake
    sh("entrypoint.sh", "web", env=env)
    assert not any(c.startswith("seed") for c in calls(log))
    log.unlink()
    sh("entrypoint.sh", "web", env={**env, "DEEPWIKI_SEED_DEMO": "1"})
    assert calls(log)[3] == "seed"


def test_entrypoint_refuses_demo_seed_in_production(fake):
    env, log = fake
    proc = sh(
        "entrypoint.sh",
        env={**env, "DEEPWIKI_SEED_DEMO": "1", "DEEPWIKI_ENV": "production"},
    )
    assert proc.returncode != 0
    assert not any(c.startswith(("seed", "serve")) for c in calls(log))


def test_entrypoint_skip_migrations_and_worker(fake):
    env, log = fake
    sh("entrypoint.sh", "worker", env={**env, "SKIP_MIGRATIONS": "1"})
    assert calls(log) == ["waitfordb --timeout 60", CHECK, "worker"]


def test_entrypoint_stops_when_start_up_checks_fail(fake):
    env, log = fake
    proc = sh("entrypoint.sh", env={**env, "FAKE_FAIL": "check"})
    assert proc.returncode != 0
    assert "start-up checks failed" in proc.stderr
    assert not any(c.startswith("serve") for c in calls(log))


def test_entrypoint_stops_when_database_never_answers(fake):
    env, log = fake
    proc = sh("entrypoint.sh", env={**env, "FAKE_FAIL": "waitfordb"})
    assert proc.returncode == 1
    assert calls(log) == ["waitfordb --timeout 60"]
    assert "database not reachable" in proc.stderr


def test_entrypoint_stops_when_migration_fails(fake):
    env, log = fake
    proc = sh("entrypoint.sh", env={**env, "FAKE_FAIL": "migrate"})
    assert proc.returncode != 0
    assert not any(c.startswith("serve") for c in calls(log))


def test_entrypoint_migrate_only_and_passthrough(fake):
    env, log = fake
    assert (
        sh("entrypoint.sh", "migrate", env={**env, "SKIP_MIGRATIONS": "1"}).returncode
        == 0
    )
    assert calls(log) == ["waitfordb --timeout 60", "migrate --noinput"]
    proc = sh("entrypoint.sh", "echo", "hello", env=env)
    assert proc.stdout.strip() == "hello"


# ---- backup-db.sh -------------------------------------------------------------------


def _age(path: Path, days: float) -> None:
    t = time.time() - days * 86400
    os.utime(path, (t, t))


def test_backup_retention_deletes_only_its_own_old_files(fake, tmp_path):
    env, log = fake
    bdir = tmp_path / "backups"
    bdir.mkdir()
    old_own = bdir / "deepwiki-full-20200101T000000Z.tar.gz"
    old_dump = bdir / "deepwiki-db-20200101T000000Z.dump"
    young_own = bdir / "deepwiki-full-20990101T000000Z.tar.gz"
    old_foreign = bdir / "important-notes.tar.gz"
    old_similar = bdir / "deepwiki-full-keep.sql"
    for f, days in (
        (old_own, 8),
        (old_dump, 30),
        (young_own, 6.9),
        (old_foreign, 90),
        (old_similar, 90),
    ):
        f.write_bytes(b"x")
        _age(f, days)
    nested = bdir / "sub"
    nested.mkdir()
    (nested / "deepwiki-full-20200101T000000Z.tar.gz").write_bytes(b"x")
    _age(nested / "deepwiki-full-20200101T000000Z.tar.gz", 90)

    proc = sh(
        "backup-db.sh", env={**env, "BACKUP_DIR": str(bdir), "RETENTION_DAYS": "7"}
    )
    assert proc.returncode == 0, proc.stderr
    remaining = {p.name for p in bdir.iterdir()}
    assert old_own.name not in remaining and old_dump.name not in remaining
    assert {young_own.name, old_foreign.name, old_similar.name, "sub"} <= remaining
    assert (nested / "deepwiki-full-20200101T000000Z.tar.gz").exists()
    new = sorted(
        remaining - {young_own.name, old_foreign.name, old_similar.name, "sub"}
    )
    assert len(new) == 1 and new[0].endswith(".tar.gz")
    assert calls(log)[0].startswith("backup ")


def test_backup_failure_exits_non_zero_and_leaves_no_partial_file(fake, tmp_path):
    env, _ = fake
    bdir = tmp_path / "backups"
    proc = sh(
        "backup-db.sh", env={**env, "BACKUP_DIR": str(bdir), "FAKE_FAIL": "backup"}
    )
    assert proc.returncode != 0
    assert list(bdir.iterdir()) == []


def test_backup_rejects_a_bad_retention_value(fake, tmp_path):
    env, _ = fake
    proc = sh(
        "backup-db.sh",
        env={**env, "BACKUP_DIR": str(tmp_path), "RETENTION_DAYS": "seven"},
    )
    assert proc.returncode == 2


def test_backup_pg_dump_failure_is_reported(fake, tmp_path):
    env, _ = fake
    bdir = tmp_path / "b"
    proc = sh(
        "backup-db.sh",
        env={
            **env,
            "BACKUP_DIR": str(bdir),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        },
    )
    assert proc.returncode != 0
    assert not list(bdir.glob("deepwiki-db-*"))


# ---- restore-db.sh -------------------------------------------------------------------


def test_restore_refuses_without_confirmation(fake, tmp_path):
    env, log = fake
    archive = tmp_path / "deepwiki-full-x.tar.gz"
    archive.write_bytes(b"x")
    proc = sh("restore-db.sh", str(archive), env=env)
    assert proc.returncode == 3 and "refusing" in proc.stderr
    assert calls(log) == []
    assert sh("restore-db.sh", str(archive), "--yes", env=env).returncode == 0
    assert calls(log) == [f"restore {archive} --force"]
    assert (
        sh("restore-db.sh", str(archive), env={**env, "CONFIRM": "yes"}).returncode == 0
    )


# ---- switch-upstream.sh ----------------------------------------------------------------


@pytest.fixture
def pools(tmp_path):
    conf = tmp_path / "nginx"
    conf.mkdir()
    (conf / "upstream-blue.conf").write_text("server 127.0.0.1:1;\n")
    (conf / "upstream-green.conf").write_text("server 127.0.0.1:2;\n")
    (conf / "upstream-active.conf").write_text("server 127.0.0.1:1;\n")
    return conf


def test_switch_upstream_replaces_active_and_reloads(fake, pools, tmp_path):
    env, _ = fake
    marker = tmp_path / "reloaded"
    env = {**env, "NGINX_TEST_CMD": "true", "NGINX_RELOAD_CMD": f"touch {marker}"}
    assert sh("switch-upstream.sh", "green", str(pools), env=env).returncode == 0
    assert (pools / "upstream-active.conf").read_text() == "server 127.0.0.1:2;\n"
    assert (pools / "active-colour").read_text().strip() == "green"
    assert marker.exists()


def test_switch_upstream_puts_back_the_old_pool_when_nginx_rejects(fake, pools):
    env, _ = fake
    env = {**env, "NGINX_TEST_CMD": "false", "NGINX_RELOAD_CMD": "true"}
    assert sh("switch-upstream.sh", "green", str(pools), env=env).returncode == 1
    assert (pools / "upstream-active.conf").read_text() == "server 127.0.0.1:1;\n"
    assert not (pools / "active-colour").exists()


def test_switch_upstream_rejects_unknown_colour(fake, pools):
    env, _ = fake
    assert sh("switch-upstream.sh", "purple", str(pools), env=env).returncode == 2


# ---- deploy.sh / rollback.sh (dry run: the plan, in order) -------------------------------


def _plan(proc) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.startswith("DRY-RUN")]


def test_rolling_deploy_backs_up_then_migrates_then_replaces(fake, tmp_path):
    env, _ = fake
    proc = sh(
        "deploy.sh",
        "--dry-run",
        "--tag",
        "abc123",
        env={**env, "STATE_DIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    plan = "\n".join(_plan(proc))
    order = [
        "backup-db.sh",
        "docker pull ghcr.io/deepwiki/deepwiki:abc123",
        "app migrate",
        "--scale app=6",
        "nginx -s reload",
        "--scale app=3",
        "wait for https://localhost/health",
    ]
    positions = [plan.index(step) for step in order]
    assert positions == sorted(positions)


def test_blue_green_deploy_switches_then_stops_the_old_colour(fake, tmp_path):
    env, _ = fake
    proc = sh(
        "deploy.sh",
        "--dry-run",
        "--strategy",
        "blue-green",
        "--skip-backup",
        env={**env, "STATE_DIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    plan = "\n".join(_plan(proc))
    assert "backup-db.sh" not in plan
    order = [
        "up -d --no-deps app-",
        "switch-upstream.sh",
        "wait for https",
        "stop app-",
    ]
    positions = [plan.index(step) for step in order]
    assert positions == sorted(positions)


def test_k8s_deploy_runs_the_migration_job_before_the_rollout(fake, tmp_path):
    env, _ = fake
    proc = sh(
        "deploy.sh",
        "--dry-run",
        "--platform",
        "k8s",
        "--tag",
        "v2",
        env={**env, "STATE_DIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    plan = "\n".join(_plan(proc))
    assert plan.index("job-migrate.yaml") < plan.index(
        "set image deployment/deepwiki-web web="
    )
    assert "rollout status" in plan


def test_deploy_rejects_unknown_strategy(fake):
    env, _ = fake
    assert sh("deploy.sh", "--strategy", "yolo", env=env).returncode == 2


def test_rollback_needs_a_tag_and_plans_the_old_image(fake, tmp_path):
    env, _ = fake
    assert sh("rollback.sh", env=env).returncode == 2
    proc = sh(
        "rollback.sh", "old1", "--dry-run", env={**env, "STATE_DIR": str(tmp_path)}
    )
    assert proc.returncode == 0, proc.stderr
    assert "IMAGE_TAG=old1" in proc.stdout
