"""Names that cannot lie: hidden characters, look-alikes and the reserved “-”.

Every way a path enters a wiki is tried: the upload API (files and zip), the
HTML upload form, the API's file save and move, the editor's new page and
move, and the CLI import.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from .conftest import make_zip, upload, upload_zip

pytestmark = pytest.mark.django_db

# One of each kind: bidi controls, zero-width characters, C0 and C1 controls.
HIDDEN = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u0085",
    "\u009b",
    "\u001b",
    "\u2028",
]
HIDDEN_IDS = [f"U+{ord(c):04X}" for c in HIDDEN]


@pytest.fixture
def alice(api_as, user):
    return api_as(user)


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def wiki(make_wiki, user):
    return make_wiki({"index.md": "# Home\n", "a.md": "# A\n"}, owner=user)


def assert_rule(response, rule: str, *, mentions: str = "") -> dict:
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    assert body["details"]["rule"] == [rule], body
    assert mentions in body["error"], body["error"]
    return body


def paths_of(wiki) -> set[str]:
    return set(wiki.files.values_list("path", flat=True))


# --- hidden characters ----------------------------------------------------------


@pytest.mark.parametrize("char", HIDDEN, ids=HIDDEN_IDS)
def test_upload_of_a_name_with_a_hidden_character_is_refused(
    alice, nothing_stored, char
):
    name = f"docs/report{char}dm.md"
    response = upload(alice, {"index.md": "# Home\n", name: "# X\n"})
    body = assert_rule(response, "path-characters", mentions=f"U+{ord(char):04X}")
    # The message names the file, with the character made visible, never raw.
    shown = f"docs/report⟨U+{ord(char):04X}⟩dm.md"
    assert shown in body["error"] and body["details"]["file"] == [shown]
    assert char not in response.content.decode("utf-8")
    nothing_stored()


@pytest.mark.parametrize("char", HIDDEN, ids=HIDDEN_IDS)
def test_zip_with_a_hidden_character_in_a_folder_name_is_refused(
    alice, nothing_stored, char
):
    data = make_zip({"index.md": "# Home\n", f"gui{char}de/a.md": "# A\n"})
    assert_rule(upload_zip(alice, data), "path-characters", mentions="gui⟨U+")
    nothing_stored()


def test_right_to_left_override_cannot_disguise_an_extension(alice, nothing_stored):
    # Shown as "invoice_gpj.md" reversed: "invoice_dm.jpg" to a reader.
    response = upload(alice, {"index.md": "# Home\n", "invoice_\u202egpj.md": "# X"})
    body = assert_rule(response, "path-characters", mentions="RIGHT-TO-LEFT OVERRIDE")
    assert "invoice_⟨U+202E⟩gpj.md" in body["error"]
    nothing_stored()


@pytest.mark.parametrize(
    "char", ["\u202e", "\u200b", "\u0085"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_api_save_and_move_refuse_hidden_characters(alice, wiki, char):
    url = f"/api/wiki/{wiki.slug}/file/new{char}page.md"
    response = alice.put(url, {"content": "# New\n"})
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "INVALID_PATH"
    assert f"U+{ord(char):04X}" in response.json()["error"]
    response = alice.post(
        f"/api/wiki/{wiki.slug}/move", {"from": "a.md", "to": f"b{char}.md"}
    )
    assert response.status_code == 422, response.content
    assert f"U+{ord(char):04X}" in response.json()["error"]
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_editor_new_page_and_move_refuse_a_bidi_control(signed_in, wiki):
    response = signed_in.post(
        reverse("wiki_new_file", args=[wiki.slug]),
        {"path": "notes\u202egpj.md", "content": "# X\n"},
    )
    assert response.status_code == 422
    assert "U+202E" in response.content.decode()
    response = signed_in.post(
        reverse("wiki_move", args=[wiki.slug, "a.md"]), {"new_path": "a\u200b.md"}
    )
    assert response.status_code == 422
    assert "U+200B" in response.content.decode()
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_cli_import_refuses_a_hidden_character(tmp_path, admin_user):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "index.md").write_text("# Docs\n")
    (src / "evil\u202etxt.md").write_text("# X\n")
    with pytest.raises(CommandError, match=r"U\+202E.*rule: path-characters"):
        call_command("import", str(src))


def test_ordinary_unicode_names_are_still_accepted(alice):
    files = {
        "index.md": "# Home\n",
        "Café/naïve.md": "# A\n",
        "日本語/ページ.md": "# B\n",
        "עברית/שלום.md": "# C\n",
        "emoji 🚀.md": "# D\n",
    }
    response = upload(alice, files)
    assert response.status_code == 201, response.content


# --- look-alikes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ("a.md", "\uff21.md"),  # full-width Ａ
        ("1.md", "\u2460.md"),  # circled digit ①
        ("guide/a.md", "\uff47uide/b.md"),  # a folder that only looks the same
        ("x2.md", "x\u00b2.md"),  # superscript two
    ],
)
def test_upload_with_look_alike_names_is_refused(alice, nothing_stored, names):
    first, second = names
    response = upload(alice, {"index.md": "# Home\n", first: "# 1", second: "# 2"})
    assert_rule(response, "lookalike-path", mentions="looks the same as")
    nothing_stored()


def test_zip_with_look_alike_names_is_refused(alice, nothing_stored):
    data = make_zip({"top/index.md": "# Home", "top/a.md": "# a", "top/\uff21.md": "#"})
    body = assert_rule(upload_zip(alice, data), "lookalike-path")
    assert set(body["details"]["file"]) == {"top/a.md", "top/\uff21.md"}
    nothing_stored()


def test_names_differing_only_in_case_keep_their_own_rule(alice, nothing_stored):
    response = upload(alice, {"index.md": "# Home\n", "A.md": "# 1", "a.md": "# 2"})
    assert_rule(response, "duplicate-path")
    nothing_stored()


def test_upload_into_a_wiki_refuses_a_look_alike_of_an_existing_name(alice, wiki):
    url = f"/api/wiki/{wiki.slug}/upload"
    response = upload(alice, {"\uff21.md": "# 2"}, url=url, mode="merge")
    assert_rule(response, "lookalike-path", mentions="“a.md”")
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_upload_into_a_wiki_still_overwrites_a_name_differing_in_case(alice, wiki):
    url = f"/api/wiki/{wiki.slug}/upload"
    response = upload(alice, {"A.md": "# New A\n"}, url=url, mode="merge")
    assert response.status_code in (200, 201), response.content
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_api_save_and_move_refuse_a_look_alike_of_an_existing_name(alice, wiki):
    response = alice.put(f"/api/wiki/{wiki.slug}/file/\uff21.md", {"content": "# X"})
    assert response.status_code == 422, response.content
    assert "looks the same as “a.md”" in response.json()["error"]
    response = alice.post(
        f"/api/wiki/{wiki.slug}/move", {"from": "index.md", "to": "\uff41.md"}
    )
    assert response.status_code == 422, response.content
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_editor_new_page_and_move_refuse_look_alikes(signed_in, wiki):
    response = signed_in.post(
        reverse("wiki_new_file", args=[wiki.slug]),
        {"path": "\uff21.md", "content": "# X\n"},
    )
    assert response.status_code == 422
    assert "looks the same as" in response.content.decode()
    response = signed_in.post(
        reverse("wiki_move", args=[wiki.slug, "index.md"]), {"new_path": "\uff41.md"}
    )
    assert response.status_code == 422
    assert paths_of(wiki) == {"index.md", "a.md"}


@pytest.mark.parametrize(
    "name",
    ["docs\u2215index.md", "docs\uff0findex.md", "\uff0e\uff0e/x.md", "a\u2044b.md"],
)
def test_names_drawn_like_a_folder_separator_are_refused(alice, nothing_stored, name):
    response = upload(alice, {"index.md": "# Home\n", name: "# X"})
    assert_rule(response, "lookalike-path")
    nothing_stored()


# --- the reserved “-” folder ------------------------------------------------------


def test_zip_cannot_reach_the_reserved_folder_through_a_stripped_top_folder(
    alice, nothing_stored
):
    data = make_zip({"top/index.md": "# Home", "top/-/edit/index.md": "# Trap"})
    assert_rule(upload_zip(alice, data), "reserved-path", mentions="-/edit/index.md")
    nothing_stored()


def test_files_cannot_reach_the_reserved_folder_through_a_stripped_top_folder(
    alice, nothing_stored
):
    files = {"top/index.md": "# Home", "top/-/history.md": "# Trap"}
    assert_rule(upload(alice, files), "reserved-path")
    nothing_stored()


def test_replacing_a_wiki_cannot_reach_the_reserved_folder(alice, wiki):
    data = make_zip({"top/index.md": "# Home", "top/-/edit/index.md": "# Trap"})
    response = upload_zip(alice, data, url=f"/api/wiki/{wiki.slug}/upload")
    assert_rule(response, "reserved-path")
    assert paths_of(wiki) == {"index.md", "a.md"}


def test_a_full_width_hyphen_top_folder_is_reserved_too(alice, nothing_stored):
    files = {"index.md": "# Home", "\uff0d/edit/index.md": "# Trap"}
    assert_rule(upload(alice, files), "reserved-path")
    nothing_stored()


def test_a_folder_named_dash_below_the_top_is_still_allowed(alice):
    files = {"index.md": "# Home", "notes/-/a.md": "# A"}
    response = upload(alice, files)
    assert response.status_code == 201, response.content


def test_upload_form_explains_a_zip_reaching_the_reserved_folder(
    signed_in, nothing_stored
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    archive = make_zip({"top/index.md": "# Home", "top/-/edit/index.md": "# Trap"})
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "archive": SimpleUploadedFile("site.zip", archive, "application/zip"),
            "visibility": "internal",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="alert alert-error"' in html and "is reserved" in html
    nothing_stored()


def test_upload_form_explains_a_bidi_control_in_a_name(signed_in, nothing_stored):
    from django.core.files.uploadedfile import SimpleUploadedFile

    archive = make_zip({"index.md": "# Home", "invoice_\u202egpj.md": "# X"})
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "archive": SimpleUploadedFile("site.zip", archive, "application/zip"),
            "visibility": "internal",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "U+202E" in html and "\u202e" not in html
    nothing_stored()


def test_a_folder_name_with_a_bidi_control_does_not_reach_the_wiki_title(
    tmp_path, admin_user
):
    from deepwiki.wikis.models import Wiki

    src = tmp_path / "Team\u202e Notes\u200b"
    src.mkdir()
    (src / "index.md").write_text("No heading here.\n")
    call_command("import", str(src))
    assert Wiki.objects.get().title == "Team Notes"
