"""Pagination shared by the list endpoints: `limit`, `offset`, `total`."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class Page(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


def _paginate(qs, page: Page, shape) -> dict:
    items = [shape(x) for x in qs[page.offset : page.offset + page.limit]]
    return {
        "items": items,
        "total": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


# --- dashboard -----------------------------------------------------------
