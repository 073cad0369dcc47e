"""Benchmark page views against a running DeepWiki server.

Usage:
  .venv/bin/python bench/view.py --url http://127.0.0.1:8000 \\
      [--wiki SLUG] [--requests 2000] [--concurrency 8] [--token TOKEN]
      [--cookie "sessionid=..."] [--server-pid PID]

Discovers the pages of one wiki through `GET /api/wiki/{slug}/files` (the
first public or readable wiki when --wiki is not given), then requests
`/wikis/<slug>/<path>` round-robin from `--concurrency` threads with
keep-alive connections, and prints requests/s and p50/p90/p99 latency.
Every response must be 200; any other status is counted and reported.

Start a server first, e.g. `make run` (sample wiki) or
`.venv/bin/deepwiki serve --workers 2`. Pass --token (an API token, see
`deepwiki token create`) to read wikis that are not public, or --cookie with a
signed-in browser's session cookie to measure page views that load a session.
--server-pid (the gunicorn master's pid) adds the server's CPU time per request
(master and workers, via psutil): steadier than requests/s on a busy machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from collections import Counter
from urllib.parse import quote, urlsplit


def _connection(base):
    cls = (
        http.client.HTTPSConnection
        if base.scheme == "https"
        else http.client.HTTPConnection
    )
    return cls(
        base.hostname, base.port or (443 if base.scheme == "https" else 80), timeout=30
    )


def _get(conn, path: str, headers: dict) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _discover(base, headers: dict, slug: str | None) -> tuple[str, list[str]]:
    conn = _connection(base)
    if not slug:
        status, body = _get(conn, "/api/wiki/list?limit=1", headers)
        if status != 200:
            raise SystemExit(f"GET /api/wiki/list answered {status}")
        items = json.loads(body)["items"]
        if not items:
            raise SystemExit(
                "No readable wiki on this server: upload one or pass --token."
            )
        slug = items[0]["slug"]
    status, body = _get(conn, f"/api/wiki/{quote(slug)}/files", headers)
    if status != 200:
        raise SystemExit(f"GET /api/wiki/{slug}/files answered {status}")
    files = json.loads(body)["items"]
    pages = [
        f["path"]
        for f in files
        if str(f.get("path", "")).lower().endswith((".md", ".markdown"))
    ]
    if not pages:
        raise SystemExit(f"Wiki {slug} has no Markdown pages.")
    return slug, pages


def _server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by a server process and its children."""
    if not pid:
        return 0.0
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--wiki", default=None)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--token", default=None)
    parser.add_argument("--cookie", default=None, help='e.g. "sessionid=..."')
    parser.add_argument("--server-pid", type=int, default=None)
    args = parser.parse_args()

    base = urlsplit(args.url)
    headers = {"Accept": "text/html"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    if args.cookie:
        headers["Cookie"] = args.cookie
    slug, pages = _discover(base, {**headers, "Accept": "application/json"}, args.wiki)
    paths = [f"/wikis/{quote(slug)}/{quote(p)}" for p in pages]

    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    counter = iter(range(args.requests))

    def worker() -> None:
        conn = _connection(base)
        local, local_status = [], Counter()
        for n in counter:
            started = time.perf_counter()
            try:
                status, _ = _get(conn, paths[n % len(paths)], headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = _connection(base)
                status = "error"
            local.append(time.perf_counter() - started)
            local_status[status] += 1
        with lock:
            latencies.extend(local)
            statuses.update(local_status)

    # Warm up once per page so the first-request costs do not skew the figures.
    warm = _connection(base)
    for path in paths[:50]:
        _get(warm, path, headers)

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    cpu_before = _server_cpu(args.server_pid)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cpu_used = _server_cpu(args.server_pid) - cpu_before

    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    print(f"wiki:        {slug} ({len(pages)} pages)")
    print(f"requests:    {len(ms)} with concurrency {args.concurrency}")
    print(f"requests/s:  {len(ms) / elapsed:.0f}")
    print(
        f"latency ms:  p50 {q[49]:.1f}  p90 {q[89]:.1f}  p99 {q[98]:.1f}  max {ms[-1]:.1f}"
    )
    if args.server_pid:
        print(f"server CPU:  {cpu_used * 1000 / len(ms):.2f} ms per request")
    print(f"statuses:    {dict(statuses)}")
    if set(statuses) != {200}:
        raise SystemExit("Some requests did not answer 200.")


if __name__ == "__main__":
    main()
