"""Owner changes cannot harvest addresses or dump wikis (issue 11, item 6)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def wiki(make_wiki, user):
    return make_wiki({"index.md": "# Home\n"}, owner=user)


def _emails_in(data, *people) -> list[str]:
    text = json.dumps(data)
    return [p.email for p in people if p.email in text]


def test_an_owner_cannot_hand_a_wiki_over_without_consent(
    api_as, wiki, user, other_user
):
    response = api_as(user).put(f"/api/wiki/{wiki.slug}", {"owner": other_user.email})
    assert response.status_code == 200, response.content
    wiki.refresh_from_db()
    assert wiki.owner == user and wiki.current_version == 1
    assert wiki.owner_offer.to_email == other_user.email


def test_an_owner_cannot_map_user_ids_to_addresses(api_as, wiki, user, other_user):
    response = api_as(user).put(f"/api/wiki/{wiki.slug}", {"owner": other_user.pk})
    assert response.status_code == 422
    assert _emails_in(response.json(), other_user) == []
    wiki.refresh_from_db()
    assert wiki.owner == user


def test_offering_answers_the_same_whether_or_not_the_address_exists(
    api_as, wiki, user, other_user
):
    c = api_as(user)
    known = c.post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    unknown = c.post(f"/api/wikis/{wiki.slug}/transfer", {"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 200

    def neutral(data):
        data = json.loads(json.dumps(data).replace(other_user.email, "ADDRESS"))
        data = json.loads(json.dumps(data).replace("ghost@example.com", "ADDRESS"))
        for volatile in ("id", "created_at", "expires_at"):
            data["offer"].pop(volatile)
        return data

    assert neutral(known.json()) == neutral(unknown.json())
    assert known.json()["transferred"] is False
    via_put = [
        c.put(f"/api/wiki/{wiki.slug}", {"owner": address})
        for address in (other_user.email, "ghost@example.com")
    ]
    assert via_put[0].status_code == via_put[1].status_code == 200
    assert via_put[0].json() == via_put[1].json()


def test_the_recipient_accepts_and_becomes_the_owner(api_as, wiki, user, other_user):
    api_as(user).post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    them = api_as(other_user)
    offers = them.get("/api/transfers").json()
    assert offers["total"] == 1
    offer = offers["items"][0]
    assert offer["wiki"]["slug"] == wiki.slug
    assert _emails_in(offer, user) == []  # the sender appears by name only
    accepted = them.post(f"/api/transfers/{offer['id']}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["can_edit"] is True
    wiki.refresh_from_db()
    assert wiki.owner == other_user and wiki.current_version == 2
    assert them.get("/api/transfers").json()["total"] == 0
    # The old owner is now a reader like anyone else.
    assert api_as(user).put(f"/api/wiki/{wiki.slug}", {"title": "x"}).status_code == 403


def test_declining_keeps_the_owner(api_as, wiki, user, other_user):
    api_as(user).post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    them = api_as(other_user)
    offer_id = them.get("/api/transfers").json()["items"][0]["id"]
    assert them.post(f"/api/transfers/{offer_id}/decline").status_code == 204
    wiki.refresh_from_db()
    assert wiki.owner == user
    assert them.post(f"/api/transfers/{offer_id}/accept").status_code == 404


def test_nobody_else_can_accept_an_offer(api_as, make_user, wiki, user, other_user):
    api_as(user).post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    offer_id = api_as(other_user).get("/api/transfers").json()["items"][0]["id"]
    third = make_user("third@example.com")
    assert api_as(third).get("/api/transfers").json()["total"] == 0
    assert api_as(third).post(f"/api/transfers/{offer_id}/accept").status_code == 404
    wiki.refresh_from_db()
    assert wiki.owner == user


def test_an_offer_is_void_once_the_owner_changed(
    api_as, make_user, wiki, user, other_user, admin_user
):
    api_as(user).post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    offer_id = api_as(other_user).get("/api/transfers").json()["items"][0]["id"]
    third = make_user("third@example.com")
    moved = api_as(admin_user).put(f"/api/wiki/{wiki.slug}", {"owner": third.email})
    assert moved.status_code == 200
    assert (
        api_as(other_user).post(f"/api/transfers/{offer_id}/accept").status_code == 404
    )
    wiki.refresh_from_db()
    assert wiki.owner == third


def test_the_owner_can_withdraw_an_offer(api_as, wiki, user, other_user):
    c = api_as(user)
    c.post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    pending = c.get(f"/api/wikis/{wiki.slug}/transfer")
    assert pending.status_code == 200
    assert pending.json()["to_email"] == other_user.email
    assert c.delete(f"/api/wikis/{wiki.slug}/transfer").status_code == 204
    assert c.get(f"/api/wikis/{wiki.slug}/transfer").status_code == 404
    assert api_as(other_user).get("/api/transfers").json()["total"] == 0


def test_admins_change_the_owner_at_once(api_as, wiki, admin_user, other_user):
    c = api_as(admin_user)
    unknown = c.put(f"/api/wiki/{wiki.slug}", {"owner": "ghost@example.com"})
    assert unknown.status_code == 422
    assert unknown.json()["details"]["owner"] == [
        "No active user with that e-mail address."
    ]
    moved = c.post(f"/api/wikis/{wiki.slug}/transfer", {"email": other_user.email})
    assert moved.status_code == 200 and moved.json()["transferred"] is True
    assert moved.json()["wiki"]["owner"]["email"] == other_user.email  # admins see it
    wiki.refresh_from_db()
    assert wiki.owner == other_user


def test_responses_never_show_other_peoples_addresses(
    api_as, make_wiki, user, other_user, admin_user
):
    wiki = make_wiki({"index.md": "# Home\n", "a.md": "# A\n"}, owner=user)
    api_as(user).put(f"/api/wiki/{wiki.slug}/file/a.md", {"content": "# A2\n"})
    them = api_as(other_user)
    file_id = wiki.files.get(path="a.md").pk
    for url in [
        "/api/wikis",
        f"/api/wikis/{wiki.slug}",
        f"/api/wiki/{wiki.slug}/file/a.md",
        f"/api/files/{file_id}",
        f"/api/wikis/{wiki.slug}/versions",
        f"/api/wikis/{wiki.slug}/versions/2",
        "/api/dashboard/activities",
    ]:
        response = them.get(url)
        assert response.status_code == 200, (url, response.content)
        assert _emails_in(response.json(), user, admin_user) == [], url
    owner = them.get(f"/api/wikis/{wiki.slug}").json()["owner"]
    assert owner == {"id": user.pk, "name": user.public_name, "email": None}
    # Yourself and admins see the address.
    assert api_as(user).get(f"/api/wikis/{wiki.slug}").json()["owner"]["email"] == (
        user.email
    )
    assert (
        api_as(admin_user).get(f"/api/wikis/{wiki.slug}").json()["owner"]["email"]
        == user.email
    )


def test_accept_and_decline_on_the_account_page(client, wiki, user, other_user):
    client.force_login(user)
    client.post(
        reverse("wiki_settings", args=[wiki.slug]),
        {"title": wiki.title, "visibility": wiki.visibility, "owner": other_user.email},
    )
    settings_page = client.get(reverse("wiki_settings", args=[wiki.slug]))
    assert "Withdraw the offer" in settings_page.content.decode()
    client.force_login(other_user)
    page = client.get(reverse("account")).content.decode()
    assert "Wikis offered to you" in page and wiki.title in page
    assert user.email not in page
    offer = wiki.owner_offer
    response = client.post(reverse("wiki_offer_accept", args=[offer.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("account")
    wiki.refresh_from_db()
    assert wiki.owner == other_user


def test_declining_on_the_account_page(client, wiki, user, other_user):
    from deepwiki.wikis.services import offer_create

    offer = offer_create(actor=user, wiki=wiki, email=other_user.email)
    client.force_login(other_user)
    response = client.post(reverse("wiki_offer_decline", args=[offer.pk]))
    assert response.status_code == 302
    from deepwiki.wikis.models import OwnerOffer

    wiki.refresh_from_db()
    assert wiki.owner == user
    assert not OwnerOffer.objects.filter(pk=offer.pk).exists()


def test_pages_name_people_without_their_addresses(client, wiki, user, other_user):
    client.force_login(other_user)
    for url in [
        reverse("wiki_list"),
        reverse("wiki_home", args=[wiki.slug]),
        reverse("wiki_history", args=[wiki.slug]),
        reverse("dashboard"),
    ]:
        html = client.get(url).content.decode()
        assert user.email not in html, url
        assert other_user.email in html  # your own address in the menu is fine
