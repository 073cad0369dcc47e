"""The `deepwiki` command: serve, worker, and every Django management command.

`deepwiki serve` runs gunicorn (the Django dev server only with `--dev`);
everything else (`migrate`, `seed`, `createadmin`, `token`, `check`, `import`,
`export`, `reindex`, `cleanup`, `backup`, …) is a management command.
"""

from __future__ import annotations

import argparse
import os
import sys

from deepwiki.config import env


def _serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="deepwiki serve", description="Serve DeepWiki over HTTP."
    )
    defaults = env.load_serve()
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=defaults.port)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument(
        "--dev", action="store_true", help="Django's auto-reloading dev server"
    )
    # A WSGI app wrapping DeepWiki's (the live tests add a worker-id header).
    parser.add_argument(
        "--app", default="deepwiki.config.wsgi:application", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    # Links in e-mails default to the address served here (config/env.py reads
    # these) unless DEEPWIKI_BASE_URL says otherwise.
    os.environ["HOST"] = args.host
    os.environ["PORT"] = str(args.port)
    if args.dev:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["deepwiki", "runserver", f"{args.host}:{args.port}"])
        return
    from gunicorn.app.wsgiapp import run

    from deepwiki.core.checks import per_process_cache_problem

    problem = per_process_cache_problem(args.workers)
    if problem:
        print(f"WARNING: {problem}", file=sys.stderr)

    sys.argv = [
        "gunicorn",
        "--config",
        "python:deepwiki.config.gunicorn",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        args.app,
    ]
    run()


def _worker(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["deepwiki", "db_worker", *argv])


def main(argv: list[str] | None = None) -> None:
    """Dispatch `deepwiki <command> …`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepwiki.config.settings")
    if argv and argv[0] == "serve":
        _serve(argv[1:])
        return
    if argv and argv[0] == "worker":
        _worker(argv[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["deepwiki", *argv])


if __name__ == "__main__":
    main()
