"""/api/search and /api/search/suggestions (aliases: /api/wiki/search…)."""

from __future__ import annotations

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from deepwiki.api.auth import ANYONE
from deepwiki.api.routing import route
from deepwiki.api.schemas import errors
from deepwiki.ops.metrics import SEARCHES
from deepwiki.search.scope import SearchFilters
from deepwiki.search.selectors import (
    MAX_LIMIT,
    MAX_OFFSET,
    SearchHit,
    search_suggestions,
)
from deepwiki.search.services import search_submit

router = Router(tags=["search"])
MAX_QUERY_PARAM = 10_000  # longer is refused; anything past 500 characters is ignored


class WikiRef(Schema):
    slug: str
    title: str


class FileRef(Schema):
    path: str
    title: str


class SectionRef(Schema):
    anchor: str
    heading: str


class HitOut(Schema):
    wiki: WikiRef
    file: FileRef | None = Field(description="null when the wiki itself matched")
    section: SectionRef | None
    snippet: str = Field(description="HTML: escaped text, matched words in <mark>")
    score: float
    url: str


class SearchOut(Schema):
    results: list[HitOut]
    total: int
    total_capped: bool = Field(
        description="true when counting stopped at 1,000 matches (there are more)"
    )
    limit: int
    offset: int
    query: str
    corrected: str | None = Field(
        description="set when a typo fix produced the results"
    )


class SearchParams(Schema):
    q: str = Field(
        "", max_length=MAX_QUERY_PARAM, description='words, "phrases", OR, -exclude'
    )
    wiki: str = Field("", max_length=80, description="wiki slug")
    tag: str = Field("", max_length=50)
    type: str = Field(
        "", max_length=20, description="markdown, image, attachment or an extension"
    )
    from_: date | None = Field(
        None, alias="from", description="updated on or after (YYYY-MM-DD)"
    )
    to: date | None = Field(None, description="updated on or before (YYYY-MM-DD)")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SuggestionOut(Schema):
    text: str
    type: str = Field(description="wiki, page or heading")
    url: str
    wiki: str


class SuggestionsOut(Schema):
    suggestions: list[SuggestionOut]


def _hit_out(hit: SearchHit) -> dict:
    is_wiki = hit.kind == "wiki"
    return {
        "wiki": {"slug": hit.wiki_slug, "title": hit.wiki_title},
        "file": None if is_wiki else {"path": hit.path, "title": hit.file_title},
        "section": None if is_wiki else {"anchor": hit.anchor, "heading": hit.heading},
        "snippet": str(hit.snippet),
        "score": hit.score,
        "url": hit.url,
    }


@route(
    router,
    "GET",
    "/search",
    aliases=["/wiki/search"],
    auth=ANYONE,
    response={200: SearchOut, **errors(401, 422)},
    summary="Search wikis",
)
def search(request, params: Query[SearchParams]):
    """Full-text search over every wiki you may read (queries under 2 characters: empty)."""
    filters = SearchFilters(
        wiki=params.wiki.strip(),
        tag=params.tag.strip(),
        file_type=params.type.strip(),
        updated_from=params.from_,
        updated_to=params.to,
    )
    results = search_submit(
        user=request.user,
        query=params.q,
        filters=filters,
        limit=params.limit,
        offset=params.offset,
    )
    return {
        "results": [_hit_out(h) for h in results.hits],
        "total": results.total,
        "total_capped": results.total_capped,
        "limit": results.limit,
        "offset": results.offset,
        "query": results.query,
        "corrected": results.corrected or None,
    }


@route(
    router,
    "GET",
    "/search/suggestions",
    aliases=["/wiki/search/suggestions"],
    auth=ANYONE,
    response={200: SuggestionsOut, **errors(401, 422)},
    summary="Suggest as you type",
)
def suggestions(
    request,
    q: str = Query("", max_length=MAX_QUERY_PARAM),
    limit: int = Query(8, ge=1, le=20),
):
    """Wiki titles, page titles and headings whose words start with what was typed."""
    SEARCHES.labels("suggest").inc()
    found = search_suggestions(user=request.user, query=q, limit=limit)
    return {"suggestions": [_suggestion(s) for s in found]}


def _suggestion(s) -> dict:
    return {"text": s.text, "type": s.type, "url": s.url, "wiki": s.wiki}
