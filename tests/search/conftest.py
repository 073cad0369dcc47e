"""Wikis for search tests, created through the wiki services (the real write path)."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_wiki(db):
    """`make_wiki(owner, {path: text}, title=, visibility=, tags=, description=)`."""
    from deepwiki.wikis.services import IncomingFile, wiki_import

    def make(owner, files: dict, **meta):
        incoming = [
            IncomingFile(
                path=path, data=data.encode() if isinstance(data, str) else data
            )
            for path, data in files.items()
        ]
        return wiki_import(owner=owner, files=incoming, **meta)

    return make


@pytest.fixture
def search_as(api_as, api):
    """`search_as(user, q, **params)` → the JSON body of GET /api/wiki/search."""

    def run(user, q: str, **params):
        client = api_as(user) if user is not None else api
        response = client.get("/api/wiki/search", {"q": q, **params})
        assert response.status_code == 200, response.content
        return response.json()

    return run


@pytest.fixture
def suggest_as(api_as, api):
    def run(user, q: str, **params):
        client = api_as(user) if user is not None else api
        response = client.get("/api/wiki/search/suggestions", {"q": q, **params})
        assert response.status_code == 200, response.content
        return response.json()["suggestions"]

    return run


def paths(body) -> list[str]:
    """The file paths of a search response, in rank order."""
    return [hit["file"]["path"] if hit["file"] else "" for hit in body["results"]]
