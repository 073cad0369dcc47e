"""HTTP caching of API reads: typed JSON with ETags, 304s and the list cache.

Handlers declare their output type with `response=`; the reads that answer
conditionally render through `json_with_etag(..., schema=...)`, which checks the
data against the same schema before hashing it, so the ETag covers exactly the
typed body the client receives.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified

from deepwiki.core.generation import content_generation
from deepwiki.ops.metrics import CACHE

LIST_TTL = 300


def _body(data, schema=None) -> bytes:
    if schema is not None:
        data = schema.model_validate(data).model_dump(mode="json", by_alias=True)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def _is_public(request, public: bool) -> bool:
    return public and not getattr(request.user, "is_authenticated", False)


def json_with_etag(
    request, data, *, schema=None, public: bool = False, status: int = 200, body=None
):
    """Return JSON (checked against `schema`) with an ETag; 304 when unchanged."""
    body = body if body is not None else _body(data, schema)
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:40]}"'
    cache_control = (
        "public, max-age=30"
        if _is_public(request, public)
        else "private, max-age=0, must-revalidate"
    )
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or etag.removeprefix("W/") in wanted:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Vary"] = "Cookie, Authorization"
    return response


def cached_list_response(request, params: dict, build, *, schema=None) -> HttpResponse:
    """Serve a list from the cache (keyed by who, params and generation) or build it."""
    user = request.user
    who = (
        f"u{user.pk}:{getattr(user, 'role', '')}"
        if user.is_authenticated
        else "anonymous"
    )
    raw_key = json.dumps(
        [who, params, content_generation()], sort_keys=True, default=str
    )
    key = "wikis:list:" + hashlib.sha256(raw_key.encode()).hexdigest()
    body = cache.get(key)
    hit = body is not None
    if not hit:
        body = _body(build(), schema)
        cache.set(key, body, LIST_TTL)
    CACHE.labels("hit" if hit else "miss").inc()
    response = json_with_etag(request, None, body=body)
    response["X-Cache"] = "HIT" if hit else "MISS"
    return response


def json_created(data, *, schema=None) -> HttpResponse:
    """Return a 201 JSON response (checked against `schema` when given)."""
    return HttpResponse(
        _body(data, schema), status=201, content_type="application/json"
    )
