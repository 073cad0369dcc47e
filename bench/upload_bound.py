"""Benchmark the cost of one hostile upload against a real `deepwiki serve`.

Usage: .venv/bin/python bench/upload_bound.py [--pages 500] [--page-kb 60]
       [--port 19201] [--text repetitive|varied|noisy]

Builds a small zip of many text-heavy pages (each entry below the per-entry
ratio check: issue 11 item 5 used 500 pages in 158 KB), starts `deepwiki
serve` (1 worker, SQLite, a temporary data dir) on loopback, uploads the zip
through POST /api/wiki/upload and prints the answer, the wall time of the
request and the CPU seconds the server's processes (workers, render pool,
task runner) spent until the upload was finished (for a background upload:
until the job reported success or failure). --text varied: pages of varied
words that compress like real documentation; noisy: the repetitive page with
a number on every line, so the archive stays under the ratio check.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
DEEPWIKI = ROOT / ".venv" / "bin" / "deepwiki"
EMAIL, PASSWORD = "bench@example.com", "Bench-Passw0rd!"
WORDS = (
    "alpha beta gamma delta wiki page guide install setup server client "
    "database cache token upload render search index version history"
).split()


def hostile_page(n: int, size: int) -> str:
    block = f"Some **bold** text with a [link](page-{n + 1}.md) and `code`.\n\n"
    return f"# Page {n}\n\n" + block * (size // len(block))


def honest_page(n: int, size: int, rnd: random.Random) -> str:
    lines = [f"# Page {n}\n"]
    while sum(map(len, lines)) < size:
        lines.append(" ".join(rnd.choice(WORDS) for _ in range(14)) + ".\n")
    return "\n".join(lines)


def noisy_page(n: int, size: int, rnd: random.Random) -> str:
    lines, total = [f"# Page {n}\n\n"], 0
    while total < size:
        line = f"Some **bold** text with a [link](page-{n + 1}.md) and `code` "
        line += f"{rnd.randrange(10**6)}.\n\n"
        lines.append(line)
        total += len(line)
    return "".join(lines)


def build_zip(pages: int, page_kb: int, text: str) -> bytes:
    rnd = random.Random(0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for n in range(pages):
            if text == "varied":
                page = honest_page(n, page_kb * 1024, rnd)
            elif text == "noisy":
                page = noisy_page(n, page_kb * 1024, rnd)
            else:
                page = hostile_page(n, page_kb * 1024)
            zf.writestr(f"page-{n}.md", page)
    return buf.getvalue()


def server_cpu(pid: int) -> float:
    """CPU seconds of the server and all its (also finished) child processes."""
    total = 0.0
    root = psutil.Process(pid)
    for proc in [root, *root.children(recursive=True)]:
        try:
            t = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def start_server(port: int, data_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEEPWIKI_DATA_DIR": data_dir,
        "LOG_LEVEL": "WARNING",
        "HOME": data_dir,
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for args in (
        ["migrate", "--noinput", "-v", "0"],
        ["createadmin", "--email", EMAIL, "--password", PASSWORD],
    ):
        subprocess.run([str(DEEPWIKI), *args], env=env, check=True, timeout=300)
    log = open(Path(data_dir, "server.log"), "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(DEEPWIKI), "serve", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/livez", timeout=10)
            return proc
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def bearer_token(data_dir: str) -> str:
    env = {**os.environ, "DEEPWIKI_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    made = subprocess.run(
        [str(DEEPWIKI), "token", "create", EMAIL],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return made.stdout.strip().splitlines()[-1]


def wait_for_job(base: str, auth: dict, body: dict) -> dict:
    url = base + body["job"]["status_url"]
    while True:
        job = requests.get(url, headers=auth, timeout=10).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--port", type=int, default=19201)
    parser.add_argument(
        "--text", choices=["repetitive", "varied", "noisy"], default="repetitive"
    )
    args = parser.parse_args()

    data = build_zip(args.pages, args.page_kb, args.text)
    print(
        f"zip: {len(data) / 1024:.0f} KB, {args.pages} pages of ~{args.page_kb} KB "
        f"({args.text} text)"
    )
    with tempfile.TemporaryDirectory(prefix="dw-bench-upload-") as data_dir:
        server = start_server(args.port, data_dir)
        try:
            base = f"http://127.0.0.1:{args.port}"
            auth = {"Authorization": f"Bearer {bearer_token(data_dir)}"}
            cpu0, wall0 = server_cpu(server.pid), time.monotonic()
            answer = requests.post(
                f"{base}/api/wiki/upload",
                files={"files": ("docs.zip", data, "application/zip")},
                headers=auth,
                timeout=3600,
            )
            request_wall = time.monotonic() - wall0
            body = answer.json()
            print(f"answer: {answer.status_code} {str(body)[:200]}")
            print(f"request wall time: {request_wall:.1f} s")
            if answer.status_code >= 500:
                print(Path(data_dir, "server.log").read_text()[-3000:])
            if answer.status_code == 202:
                job = wait_for_job(base, auth, body)
                print(f"job: {job['status']} {job['message']}")
                if job["error"]:
                    print(f"job error: {job['error']['error']}")
                print(f"until finished: {time.monotonic() - wall0:.1f} s wall")
            print(f"server CPU: {server_cpu(server.pid) - cpu0:.1f} s")
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
