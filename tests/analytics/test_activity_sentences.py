"""Every kind of activity renders as an escaped sentence, whatever its details."""

from __future__ import annotations

import pytest

from deepwiki.activity.models import Activity
from deepwiki.web.templatetags.analytics_tags import activity_sentence

pytestmark = pytest.mark.django_db
ODD_DETAILS = [
    {},
    {"changed": 5, "version": "x", "to": None, "email": None, "task": "bogus"},
    {"message": "<b>bold</b>", "email": "<i>@x", "from": "<u>", "to": "ADMIN"},
]


@pytest.mark.parametrize("action", Activity.Action.values)
@pytest.mark.parametrize("details", ODD_DETAILS)
def test_every_action_renders_safely(action, details, make_wiki, user):
    wiki = make_wiki(user, title="<script>t</script>")
    event = Activity.objects.create(
        actor=user,
        action=action,
        wiki=wiki,
        wiki_title=wiki.title,
        wiki_slug=wiki.slug,
        path="<p>.md",
        details=details,
    )
    html = str(activity_sentence(event))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "<u>" not in html and "<p>" not in html
    assert html.strip()


def test_role_change_reads_naturally(user, admin_user):
    event = Activity.objects.create(
        actor=admin_user,
        action=Activity.Action.USER_ROLE_CHANGED,
        details={"email": user.email, "from": "USER", "to": "ADMIN"},
    )
    text = str(activity_sentence(event))
    assert "root@example.com" in text and "alice@example.com" in text
    assert "from USER to ADMIN" in text


def test_failed_sign_in_mentions_lockout():
    event = Activity.objects.create(
        action=Activity.Action.LOGIN_FAILED,
        details={"email": "x@example.com", "ip": "10.0.0.1", "locked_out": True},
    )
    text = str(activity_sentence(event))
    assert "x@example.com" in text and "10.0.0.1" in text and "locked out" in text
