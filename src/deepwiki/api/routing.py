"""Register an operation at its canonical path and at its reference aliases.

The canonical paths (`/api/wikis`, `/api/wikis/{slug}`, `/api/files/{id}`, …)
never share a segment between a collection word and a slug. The reference
API's paths (`/api/wiki/list`, `/api/wiki/{slug}`, …) stay as aliases: the same
handler, marked deprecated in OpenAPI with a pointer to the canonical path.
Only the aliases still depend on router order and the reserved slugs.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable

from ninja import Router

Alias = str | tuple[str, str]
_CONVERTER = re.compile(r"\{\w+:(\w+)\}")


def route(
    router: Router,
    method: str,
    path: str,
    *,
    aliases: Iterable[Alias] = (),
    **options,
) -> Callable:
    """Decorate a handler for `method path`, plus deprecated `aliases`.

    An alias is a path (same method) or a (method, path) pair.
    """

    def decorator(func: Callable) -> Callable:
        name = func.__name__
        doc = inspect.getdoc(func) or ""
        shown = _CONVERTER.sub(r"{\1}", path)  # as OpenAPI writes it
        router.api_operation([method], path, operation_id=name, **options)(func)
        for n, alias in enumerate(aliases):
            alias_method, alias_path = (
                alias if isinstance(alias, tuple) else (method, alias)
            )
            summary = options.get("summary") or doc.split("\n", 1)[0].rstrip(".")
            router.api_operation(
                [alias_method],
                alias_path,
                operation_id=f"{name}_alias{n + 1 if n else ''}",
                deprecated=True,
                **{
                    **options,
                    "summary": f"{summary} (alias)",
                    "description": (
                        f"Alias of `{method} /api{shown}`, kept for clients of the "
                        f"reference API; use the canonical path.\n\n{doc}"
                    ),
                },
            )(func)
        return func

    return decorator
