"""Static checks of the deployment kit: linters, schemas and config tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import K8S_DIR, NGINX_DIR, ROOT, SCHEMAS, SCRIPTS, missing, tool
from .kustomize_render import render

K8S_VERSION = "1.30.0"
SHELL_SCRIPTS = sorted(SCRIPTS.glob("*.sh"))


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, check=False, **kw
    )


def assert_ok(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, f"{proc.args}\n{proc.stdout}\n{proc.stderr}"


# ---- linters -----------------------------------------------------------------


def test_dockerfile_passes_hadolint():
    assert_ok(
        run([tool("hadolint"), "--failure-threshold", "info", str(ROOT / "Dockerfile")])
    )


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_shell_script_passes_shellcheck(script):
    assert_ok(
        run([tool("shellcheck"), "--severity=style", "--external-sources", str(script)])
    )


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_shell_script_is_strict_and_has_help(script):
    text = script.read_text()
    assert "set -euo pipefail" in text
    proc = run(["bash", str(script), "--help"])
    assert_ok(proc)
    assert (
        "Usage" in proc.stdout
        or "usage" in proc.stdout.lower()
        or script.name == "entrypoint.sh"
    )


def test_all_yaml_passes_yamllint():
    assert_ok(
        run(
            [tool("yamllint"), "--strict", "-c", str(ROOT / ".yamllint"), "."], cwd=ROOT
        )
    )


# ---- Dockerfile contract -------------------------------------------------------


def test_dockerfile_is_multistage_non_root_with_readyz_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", text, re.M | re.I)
    assert [s[1] for s in stages] == ["assets", "builder", "runtime"]
    assert (
        stages[0][0].startswith("node:${NODE_VERSION}")
        and "ARG NODE_VERSION=20" in text
    )
    assert (
        "python:${PYTHON_VERSION}-slim" in stages[2][0]
        and "ARG PYTHON_VERSION=3.11" in text
    )
    runtime = text.split("AS runtime", 1)[1]
    assert "USER 1001:1001" in runtime
    assert re.search(r"useradd .*--uid 1001", runtime) and re.search(
        r"groupadd .*--gid 1001", runtime
    )
    assert "HEALTHCHECK" in runtime and "/readyz" in runtime and "curl" not in runtime
    assert "EXPOSE 8000" in runtime
    assert 'CMD ["web"]' in runtime
    assert re.search(r'ENTRYPOINT \[.*"scripts/entrypoint.sh"\]', runtime)
    assert "collectstatic --noinput" in runtime
    # No compilers or package-manager caches in the final image.
    assert not re.search(r"build-essential|gcc|\bnpm\b", runtime)
    assert "rm -rf /var/lib/apt/lists/*" in runtime


def test_dockerignore_keeps_secrets_and_junk_out():
    lines = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "node_modules", ".env", "data", "**/__pycache__"):
        assert entry in lines


# ---- docker compose ------------------------------------------------------------

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value):
    """Compose-style interpolation with defaults only (what `docker compose config` does)."""
    if isinstance(value, dict):
        return {k: interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v) for v in value]
    if isinstance(value, str):
        value = value.replace("$$", "\0")
        value = _VAR.sub(
            lambda m: (m.group(3) or "") if m.group(2) in (":-", "-") else "x", value
        )
        return value.replace("\0", "$")
    return value


def load_compose(name: str) -> dict:
    data = yaml.safe_load((ROOT / name).read_text())
    return {k: v for k, v in interpolate(data).items() if not k.startswith("x-")}


COMPOSE_FILES = ["docker-compose.yml", "docker-compose.prod.yml"]


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_file_matches_compose_spec_schema(name):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    doc = load_compose(name)
    # Compose casts interpolated strings for these integer fields.
    for svc in doc["services"].values():
        if "replicas" in svc.get("deploy", {}):
            svc["deploy"]["replicas"] = int(svc["deploy"]["replicas"])
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_services_are_well_formed(name):
    doc = load_compose(name)
    declared_networks = set(doc.get("networks", {})) | {"default"}
    declared_volumes = set(doc.get("volumes", {}))
    for svc_name, svc in doc["services"].items():
        assert "image" in svc or "build" in svc, svc_name
        for net in svc.get("networks", []):
            assert net in declared_networks, f"{svc_name}: undeclared network {net}"
        for vol in svc.get("volumes", []):
            source = (
                vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            )
            if source and not source.startswith((".", "/", "~")):
                assert source in declared_volumes, (
                    f"{svc_name}: undeclared volume {source}"
                )
        for dep, cond in (svc.get("depends_on") or {}).items():
            assert dep in doc["services"], f"{svc_name} depends on unknown {dep}"
            if cond.get("condition") == "service_healthy":
                assert "healthcheck" in doc["services"][dep], (
                    f"{dep} has no healthcheck"
                )
    for needed in ("app", "worker", "postgres", "redis"):
        assert needed in doc["services"]
        if needed != "worker":
            assert "healthcheck" in doc["services"][needed], needed
    assert doc["services"]["postgres"]["image"].startswith("postgres:15")
    assert doc["services"]["redis"]["image"].startswith("redis:7")


def test_dev_compose_has_reload_tools_profile_and_named_volumes():
    doc = load_compose("docker-compose.yml")
    app = doc["services"]["app"]
    assert "--dev" in app["command"]
    assert any(v.startswith("./src:") for v in app["volumes"])
    assert doc["services"]["mailpit"]["profiles"] == ["tools"]
    assert doc["services"]["adminer"]["profiles"] == ["tools"]
    assert {"postgres_data", "app_data"} <= set(doc["volumes"])


def test_prod_compose_is_hardened_and_tuned():
    doc = load_compose("docker-compose.prod.yml")
    services = doc["services"]
    for name in ("app", "worker", "app-blue", "app-green"):
        svc = services[name]
        assert svc["read_only"] is True and "/tmp" in svc["tmpfs"][0]
        assert svc["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in svc["security_opt"]
        assert svc["restart"] == "always" and svc["env_file"]
        assert svc["deploy"]["resources"]["limits"]["memory"]
        assert set(svc["networks"]) == {"frontend", "backend"}
    assert int(services["app"]["deploy"]["replicas"]) >= 2
    for name in ("nginx", "backup", "postgres", "redis"):
        assert "no-new-privileges:true" in services[name]["security_opt"]
        assert services[name]["restart"] == "always"
    pg = " ".join(services["postgres"]["command"])
    for flag in (
        "shared_preload_libraries=pg_stat_statements",
        "shared_buffers=256MB",
        "random_page_cost=1.1",
        "effective_io_concurrency=200",
    ):
        assert flag in pg
    assert "log_statement=all" not in pg.replace("# ", "")
    redis_cmd = services["redis"]["command"]
    assert redis_cmd[redis_cmd.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert "443:443" in services["nginx"]["ports"]
    assert "backup-db.sh" in services["backup"]["entrypoint"][0]
    assert doc["networks"]["backend"]["internal"] is True
    assert (
        "backend" in services["postgres"]["networks"]
        and "frontend" not in services["postgres"]["networks"]
    )


# ---- Kubernetes -----------------------------------------------------------------


def _k8s_docs(kind: str, name: str, docs: list[dict]) -> dict:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


@pytest.mark.parametrize("target", ["base", "overlays/production"])
def test_kustomize_output_passes_kubernetes_validate(target, tmp_path):
    docs = render(K8S_DIR / target)
    out = tmp_path / "rendered.yaml"
    out.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    proc = run([tool("kubernetes-validate"), "--strict", "-k", K8S_VERSION, str(out)])
    assert_ok(proc)
    assert proc.stdout.count("passed") == len(docs)


def test_secret_example_passes_kubernetes_validate():
    assert_ok(
        run(
            [
                tool("kubernetes-validate"),
                "--strict",
                "-k",
                K8S_VERSION,
                str(K8S_DIR / "base" / "secret.example.yaml"),
            ]
        )
    )


def test_production_overlay_has_the_expected_workloads():
    docs = render(K8S_DIR / "overlays" / "production")
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for expected in [
        ("Deployment", "deepwiki-web"),
        ("Deployment", "deepwiki-worker"),
        ("Service", "deepwiki-web"),
        ("Ingress", "deepwiki"),
        ("HorizontalPodAutoscaler", "deepwiki-web"),
        ("PodDisruptionBudget", "deepwiki-web"),
        ("Job", "deepwiki-migrate"),
        ("CronJob", "deepwiki-backup"),
        ("ConfigMap", "deepwiki-config"),
        ("NetworkPolicy", "deepwiki-web-ingress"),
    ]:
        assert expected in kinds
    assert all(
        d["metadata"].get("namespace") == "deepwiki"
        for d in docs
        if d["kind"] != "Namespace"
    )
    web = _k8s_docs("Deployment", "deepwiki-web", docs)
    spec = web["spec"]
    assert spec["replicas"] == 3
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}
    pod = spec["template"]["spec"]
    assert pod["enableServiceLinks"] is False
    assert (
        pod["securityContext"]["runAsUser"] == 1001
        and pod["securityContext"]["runAsNonRoot"]
    )
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    (c,) = pod["containers"]
    assert c["image"] == "ghcr.io/deepwiki/deepwiki:0.1.0"
    assert c["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["startupProbe"]["httpGet"]["path"] == "/livez"
    assert c["resources"]["limits"] == {"cpu": "500m", "memory": "512Mi"}
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"mountPath": "/tmp", "name": "tmp"} in c["volumeMounts"]
    ingress = _k8s_docs("Ingress", "deepwiki", docs)
    assert "cert-manager.io/cluster-issuer" in ingress["metadata"]["annotations"]
    assert ingress["spec"]["tls"][0]["secretName"]
    cron = _k8s_docs("CronJob", "deepwiki-backup", docs)
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"


# ---- CI and cloud ------------------------------------------------------------------


def test_github_workflows_match_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "github-workflows.json").read_text())
    for wf in (ROOT / ".github" / "workflows").glob("*.yml"):
        # PyYAML reads the `on:` key as True (YAML 1.1); GitHub reads it as "on".
        doc = {
            ("on" if k is True else k): v
            for k, v in yaml.safe_load(wf.read_text()).items()
        }
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
        assert not errors, f"{wf.name}: " + "\n".join(e.message for e in errors[:5])
        jobs = doc["jobs"]
        assert {"lint", "test", "image", "deploy"} <= set(jobs)
        assert "scripts/deploy.sh" in json.dumps(jobs["deploy"])


def test_cloudbuild_matches_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "cloudbuild.json").read_text())
    doc = yaml.safe_load((ROOT / "deploy" / "cloud" / "cloudbuild.yaml").read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
    assert not errors, "\n".join(e.message for e in errors[:5])


def test_ecs_task_definition_matches_the_ecs_api():
    botocore_session = pytest.importorskip("botocore.session")
    from botocore.validate import ParamValidator

    model = botocore_session.get_session().get_service_model("ecs")
    shape = model.operation_model("RegisterTaskDefinition").input_shape
    params = json.loads(
        (ROOT / "deploy" / "cloud" / "ecs-task-definition.json").read_text()
    )
    report = ParamValidator().validate(params, shape)
    assert not report.has_errors(), report.generate_report()
    (web,) = params["containerDefinitions"]
    assert web["user"] == "1001:1001" and web["readonlyRootFilesystem"] is True
    assert "/livez" in " ".join(web["healthCheck"]["command"])


def test_cloud_run_service_is_a_knative_service_with_probes():
    doc = yaml.safe_load(
        (ROOT / "deploy" / "cloud" / "cloudrun-service.yaml").read_text()
    )
    assert doc["apiVersion"] == "serving.knative.dev/v1" and doc["kind"] == "Service"
    (c,) = doc["spec"]["template"]["spec"]["containers"]
    assert c["ports"][0]["containerPort"] == 8000
    assert c["startupProbe"]["httpGet"]["path"] == "/livez"
    names = {e["name"] for e in c["env"]}
    assert {"DEEPWIKI_SECRET_KEY", "DATABASE_URL", "DEEPWIKI_ENV"} <= names


# ---- nginx ---------------------------------------------------------------------------


def self_signed(tls_dir: Path) -> None:
    openssl = shutil.which("openssl") or missing("openssl is not installed")
    tls_dir.mkdir(parents=True, exist_ok=True)
    assert_ok(
        run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(tls_dir / "privkey.pem"),
                "-out",
                str(tls_dir / "fullchain.pem"),
            ]
        )
    )
    shutil.copy(tls_dir / "fullchain.pem", tls_dir / "chain.pem")


def stage_nginx(
    prefix: Path, upstream_servers: dict[str, list[str]] | None = None
) -> Path:
    """Copy deploy/nginx into prefix/deepwiki, pointing every pool at loopback servers."""
    conf = prefix / "deepwiki"
    conf.mkdir(parents=True)
    for f in NGINX_DIR.glob("*.conf"):
        shutil.copy(f, conf / f.name)
    pools = upstream_servers or {}
    for colour in ("active", "rolling", "blue", "green"):
        servers = pools.get(colour, ["127.0.0.1:9"])
        (conf / f"upstream-{colour}.conf").write_text(
            "".join(f"server {s} max_fails=2 fail_timeout=3s;\n" for s in servers)
        )
    for sub in ("tmp", "cache", "acme"):
        (prefix / sub).mkdir(exist_ok=True)
    self_signed(prefix / "tls")
    return conf


def render_shipped(prefix: Path) -> Path:
    """The production nginx.conf with host paths moved under prefix."""
    text = (NGINX_DIR / "nginx.conf").read_text()
    text = re.sub(r"^user .*;\n", "", text, flags=re.M)
    for old, new in {
        "/var/run/nginx.pid": prefix / "nginx.pid",
        "/etc/letsencrypt/live/deepwiki": prefix / "tls",
        "/var/cache/nginx": prefix / "cache",
        "/var/www/acme": prefix / "acme",
        "/dev/stderr": prefix / "error.log",
        "/dev/stdout": prefix / "access.log",
    }.items():
        text = text.replace(old, str(new))
    out = prefix / "nginx.conf"
    out.write_text(text)
    return out


def render_local(prefix: Path, http_port: int, tls_port: int) -> Path:
    text = (NGINX_DIR / "local-test.conf.template").read_text()
    text = text.replace("@PREFIX@", str(prefix)).replace("@HTTP_PORT@", str(http_port))
    if os.geteuid() == 0:
        # Workers would run as "nobody", which cannot enter pytest's 0700 temp dirs.
        text = "user root;\n" + text
    out = prefix / "nginx.conf"
    out.write_text(text.replace("@TLS_PORT@", str(tls_port)))
    return out


def test_shipped_nginx_conf_passes_nginx_t(tmp_path):
    nginx = (
        shutil.which("nginx")
        or shutil.which("/usr/sbin/nginx")
        or missing("nginx is not installed")
    )
    stage_nginx(tmp_path)
    conf = render_shipped(tmp_path)
    assert_ok(run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)]))


def test_local_test_template_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or missing("nginx is not installed")
    stage_nginx(tmp_path)
    conf = render_local(tmp_path, 18080, 18443)
    assert_ok(run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)]))


def test_nginx_config_has_the_production_features():
    main = (NGINX_DIR / "nginx.conf").read_text()
    common = (NGINX_DIR / "http-common.conf").read_text()
    locations = (NGINX_DIR / "locations.conf").read_text()
    assert "least_conn;" in main and re.search(r"keepalive \d+;", main)
    assert "include deepwiki/upstream-active.conf;" in main
    assert "/etc/letsencrypt/live/" in main and "return 301 https://" in main
    assert "/.well-known/acme-challenge/" in main
    assert "server_tokens off;" in common and "client_max_body_size 50m;" in common
    headers = (NGINX_DIR / "headers.conf").read_text()
    assert "gzip on;" in common and "Strict-Transport-Security" in headers
    assert "max-age=63072000" in common
    assert (
        "X-Forwarded-Proto $scheme" in common
        and "X-Request-ID $deepwiki_request_id" in common
    )
    assert re.search(
        r"location = /health \{[^}]*proxy_pass http://deepwiki_app/api/health;",
        locations,
    )
    assert (
        "proxy_cache_lock on;" in locations
        and "proxy_cache_valid 200 301 302 1s;" in locations
    )
    assert "immutable" in common and "location ^~ /static/" in locations
    for f in ("upstream-blue.conf", "upstream-green.conf", "upstream-active.conf"):
        assert re.search(r"^server \S+:8000", (NGINX_DIR / f).read_text(), re.M)


# ---- docs ----------------------------------------------------------------------------------


def test_deployment_doc_lists_every_environment_variable():
    """docs/deployment.md names every variable the app and the kit read."""
    src = ROOT / "src" / "deepwiki"
    names: set[str] = set()
    for path in [
        *src.glob("config/*.py"),
        src / "cli.py",
        *src.rglob("management/commands/*.py"),
    ]:
        text = path.read_text()
        names |= set(
            re.findall(r'_(?:str|bool|int|float|list)\(\s*"([A-Z][A-Z0-9_]+)"', text)
        )
        names |= set(re.findall(r'environ(?:\.get)?[\[(]\s*"([A-Z][A-Z0-9_]+)"', text))
    for script in SHELL_SCRIPTS:
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):[-?]", script.read_text()))
    names -= {"DJANGO_SETTINGS_MODULE", "HOME", "PATH", "PGPASSWORD"}
    doc = (ROOT / "docs" / "deployment.md").read_text()
    undocumented = sorted(n for n in names if f"`{n}`" not in doc)
    assert not undocumented, f"add to docs/deployment.md: {undocumented}"
