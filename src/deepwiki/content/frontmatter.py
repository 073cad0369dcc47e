"""Front matter: YAML safe_load only, never raising, JSON-safe result."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import yaml

_MAX_FRONT_MATTER = 64 * 1024
# libyaml's safe loader is ~10x faster than the pure-Python one; same rules.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# YAML aliases can make a tiny document expand into billions of nodes.
_MAX_NODES = 10_000


class _TooBig(Exception):
    """Raised when front matter expands beyond the node budget."""


def parse_front_matter(text: str) -> dict[str, Any]:
    """Return the front matter mapping, or {} when absent or invalid."""
    if not text or len(text) > _MAX_FRONT_MATTER:
        return {}
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - safe loader
    except (yaml.YAMLError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    try:
        return _json_safe(data, [0])
    except (_TooBig, RecursionError):
        return {}


def _json_safe(value: Any, budget: list[int]) -> Any:
    """Turn YAML values into JSON-serialisable ones (dates become ISO text)."""
    budget[0] += 1
    if budget[0] > _MAX_NODES:
        raise _TooBig
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON (and PostgreSQL jsonb) has no NaN/Infinity
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v, budget) for v in value]
    return str(value)


def meta_text(meta: dict[str, Any], key: str) -> str:
    """Return a scalar front matter value as stripped text ('' if missing)."""
    value = meta.get(key)
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def meta_tags(meta: dict[str, Any]) -> list[str]:
    """Return tags from a YAML list or a comma-separated string."""
    value = meta.get("tags")
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [str(v) for v in value if v is not None and not isinstance(v, dict)]
    else:
        return []
    seen: dict[str, None] = {}
    for item in items:
        tag = item.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)
