"""/api routes of the wikis app."""

from ninja import Router

router = Router(tags=["wikis"])
