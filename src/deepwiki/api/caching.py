"""HTTP details of the wikis API: JSON with ETags, 304s and the list cache."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified

from deepwiki.core.generation import content_generation
from deepwiki.ops.metrics import CACHE

LIST_TTL = 300


def _body(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def _is_public(request, public: bool) -> bool:
    return public and not getattr(request.user, "is_authenticated", False)


def json_with_etag(
    request, data, *, public: bool = False, status: int = 200, body=None
):
    """Return JSON with an ETag; answer 304 when the client already has it."""
    body = body if body is not None else _body(data)
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


def cached_list_response(request, params: dict, build) -> HttpResponse:
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
        body = _body(build())
        cache.set(key, body, LIST_TTL)
    CACHE.labels("hit" if hit else "miss").inc()
    response = json_with_etag(request, None, body=body)
    response["X-Cache"] = "HIT" if hit else "MISS"
    return response


def json_created(data) -> HttpResponse:
    """Return a 201 JSON response."""
    return HttpResponse(_body(data), status=201, content_type="application/json")
