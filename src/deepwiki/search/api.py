"""/api routes of the search app."""

from ninja import Router

router = Router(tags=["search"])
