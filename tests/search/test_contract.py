"""The search contract: the same behaviour on SQLite FTS5 and PostgreSQL.

CI runs this module once per database engine.
"""

from __future__ import annotations

import pytest
from django.db import connection

from .conftest import paths

pytestmark = pytest.mark.django_db(transaction=False)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def corpus(user, make_wiki):
    """A small internal wiki with known words in titles, headings and bodies."""
    return make_wiki(
        user,
        {
            "index.md": "# Handbook\n\nWelcome to the team handbook.\n",
            "kubernetes.md": "# Kubernetes\n\nHow we run clusters.\n\n"
            "## Install\n\nUse the official packages to install the nodes.\n",
            "notes.md": "# Meeting notes\n\nWe talked about kubernetes upgrades "
            "and the blue green deployment strategy.\n\n## Budget\n\nGreen light for "
            "the new servers.\n",
            "guide/backup.md": "# Backups\n\nNightly backup of the database to "
            "object storage.\n\n## Restore drill\n\nRestore the database every month.\n",
            "images/diagram.png": PNG,
        },
        title="Team handbook",
        description="How the platform team works",
        tags=["platform", "ops"],
    )


# --- ranking and query syntax ------------------------------------------------


def test_title_match_ranks_above_body_match(user, corpus, search_as):
    body = search_as(user, "kubernetes")
    assert paths(body)[0] == "kubernetes.md"
    assert "notes.md" in paths(body)
    first, later = body["results"][0], body["results"][paths(body).index("notes.md")]
    assert first["score"] > later["score"]


def test_every_word_must_match(user, corpus, search_as):
    body = search_as(user, "database nightly")
    assert paths(body) == ["guide/backup.md"]
    assert search_as(user, "database kubernetes")["total"] == 0


def test_phrase_matches_only_words_in_that_order(user, corpus, search_as):
    assert paths(search_as(user, '"blue green"')) == ["notes.md"]
    assert search_as(user, '"green blue"')["total"] == 0


def test_or_matches_either_word(user, corpus, search_as):
    found = set(paths(search_as(user, "budget OR nightly")))
    assert found == {"notes.md", "guide/backup.md"}


def test_minus_excludes_entries_with_the_word(user, corpus, search_as):
    with_word = search_as(user, "database")
    without = search_as(user, "database -restore")
    assert without["total"] < with_word["total"]
    for hit in without["results"]:
        assert "restore" not in hit["snippet"].lower()


def test_last_word_matches_as_a_prefix(user, corpus, search_as):
    assert "kubernetes.md" in paths(search_as(user, "kuber"))
    assert "guide/backup.md" in paths(search_as(user, "nightly datab"))


def test_a_small_typo_still_finds_the_word(user, corpus, search_as):
    body = search_as(user, "kuberntes")
    assert "kubernetes.md" in paths(body)
    assert body["corrected"] == "kubernetes"


def test_part_of_a_word_finds_the_whole_word(user, corpus, search_as):
    assert "kubernetes.md" in paths(search_as(user, "bernet"))


def test_file_names_tags_and_wiki_description_are_searchable(user, corpus, search_as):
    assert "images/diagram.png" in paths(search_as(user, "diagram"))
    wiki_hit = [h for h in search_as(user, "platform")["results"] if h["file"] is None]
    assert wiki_hit and wiki_hit[0]["wiki"]["slug"] == corpus.slug
    assert wiki_hit[0]["url"] == f"/wikis/{corpus.slug}/"


def test_hit_links_to_the_exact_heading(user, corpus, search_as):
    hit = search_as(user, "drill")["results"][0]
    assert hit["section"] == {"anchor": "restore-drill", "heading": "Restore drill"}
    assert hit["file"] == {"path": "guide/backup.md", "title": "Backups"}
    assert hit["wiki"] == {"slug": corpus.slug, "title": "Team handbook"}
    assert hit["url"] == f"/wikis/{corpus.slug}/guide/backup.md#restore-drill"


# --- filters and pagination ----------------------------------------------------


def test_filters_narrow_by_wiki_tag_type_and_date(user, corpus, make_wiki, search_as):
    other = make_wiki(
        user, {"index.md": "# Other\n\nThe database lives here.\n"}, tags=["misc"]
    )
    assert {h["wiki"]["slug"] for h in search_as(user, "database")["results"]} == {
        corpus.slug,
        other.slug,
    }
    assert {
        h["wiki"]["slug"]
        for h in search_as(user, "database", wiki=other.slug)["results"]
    } == {other.slug}
    assert {
        h["wiki"]["slug"] for h in search_as(user, "database", tag="OPS")["results"]
    } == {corpus.slug}
    assert paths(search_as(user, "diagram", type="image")) == ["images/diagram.png"]
    assert paths(search_as(user, "diagram", type="png")) == ["images/diagram.png"]
    assert search_as(user, "diagram", type="markdown")["total"] == 0
    assert (
        search_as(user, "database", **{"from": "2000-01-01", "to": "2999-01-01"})[
            "total"
        ]
        >= 2
    )
    assert search_as(user, "database", to="2000-01-01")["total"] == 0
    assert search_as(user, "database", wiki="no-such-wiki")["total"] == 0


def test_pagination_is_stable_and_complete(user, make_wiki, search_as):
    files = {"index.md": "# Start\n\nalpha\n"}
    files.update({f"p{i:02}.md": f"# Page {i}\n\nalpha beta {i}\n" for i in range(25)})
    make_wiki(user, files)
    seen = []
    for offset in (0, 10, 20):
        body = search_as(user, "alpha", limit=10, offset=offset)
        assert body["total"] == 26
        seen += [h["url"] for h in body["results"]]
    assert len(seen) == 26 and len(set(seen)) == 26
    again = search_as(user, "alpha", limit=10, offset=10)
    assert [h["url"] for h in again["results"]] == seen[10:20]
    assert search_as(user, "alpha", offset=500)["results"] == []


# --- permissions -----------------------------------------------------------------


def test_private_words_never_reach_other_users(
    user, other_user, admin_user, make_wiki, search_as, suggest_as
):
    make_wiki(
        user,
        {"index.md": "# Zanzibar secrets\n\nzanzibar plans\n"},
        visibility="private",
    )
    make_wiki(
        other_user, {"index.md": "# Public zanzibar\n\nzanzibar\n"}, visibility="public"
    )
    assert search_as(user, "zanzibar")["total"] == 4  # two pages, two wiki titles
    for viewer in (other_user, None):
        body = search_as(viewer, "zanzibar")
        assert body["total"] == len(body["results"])
        assert all(h["wiki"]["title"] == "Public zanzibar" for h in body["results"])
        assert "secrets" not in str(body).lower()
        assert all(
            "secrets" not in s["text"].lower() for s in suggest_as(viewer, "zanzi")
        )
        assert search_as(viewer, "secrets")["total"] == 0
        assert search_as(viewer, "secretz")["total"] == 0  # no typo path either
    assert search_as(admin_user, "secrets")["total"] >= 1


def test_internal_wikis_need_an_account(user, make_wiki, search_as):
    make_wiki(user, {"index.md": "# Quokka\n\nquokka facts\n"}, visibility="internal")
    assert search_as(user, "quokka")["total"] >= 1
    assert search_as(None, "quokka")["total"] == 0


# --- safety -----------------------------------------------------------------------


def test_snippets_are_escaped_before_words_are_marked(user, make_wiki, search_as):
    make_wiki(
        user,
        {
            # inline code is prose (snippets never come from code blocks)
            "index.md": "# Escaping\n\nSee `<img src=x onerror=alert(1)> payload "
            "& <script>steal()</script>` in the log.\n\nThe payload word is here.\n"
        },
    )
    for q in ["payload", "<img onerror=alert(1)>", "<script>", "onerror"]:
        for hit in search_as(user, q)["results"]:
            snippet = hit["snippet"]
            stripped = snippet.replace("<mark>", "").replace("</mark>", "")
            assert "<" not in stripped and ">" not in stripped, snippet
    snippet = search_as(user, "onerror")["results"][0]["snippet"]
    assert "<mark>onerror</mark>" in snippet and "&lt;script&gt;" in snippet


@pytest.mark.parametrize(
    "q",
    [
        "(",
        ")",
        '"',
        '""',
        "-",
        "--",
        "OR",
        "OR OR",
        "AND",
        "NOT",
        "*",
        "^",
        ":",
        "'",
        "\\",
        "%",
        "_",
        "NEAR(",
        "{title}:",
        '-"',
        "!",
        "&",
        "|",
        "<->",
        ":*",
        "a:*",
        "title:foo",
        "'; DROP TABLE search_searchentry; --",
        "\x00x",
        "🙂🙂",
        "\u200b\u200b",
    ],
)
def test_operator_or_punctuation_queries_never_fail(user, corpus, api_as, q):
    client = api_as(user)
    for path in ("/api/wiki/search", "/api/wiki/search/suggestions"):
        response = client.get(path, {"q": q})
        assert response.status_code in (200, 422), (q, response.content)
        if response.status_code == 200:
            assert isinstance(
                response.json().get("results", response.json().get("suggestions")), list
            )


def test_very_long_queries_are_answered(user, corpus, api_as, search_as, suggest_as):
    assert search_as(user, "kubernetes " * 300)["total"] >= 1
    assert search_as(user, "x" * 5000)["total"] == 0
    assert isinstance(suggest_as(user, "a b " * 400), list)
    too_long = api_as(user).get("/api/wiki/search", {"q": "x" * 10001})
    assert too_long.status_code == 422 and "q" in too_long.json()["details"]


def test_queries_under_two_characters_give_an_empty_list(
    user, corpus, search_as, suggest_as
):
    assert search_as(user, "k") == {
        "results": [],
        "total": 0,
        "total_capped": False,
        "limit": 20,
        "offset": 0,
        "query": "k",
        "corrected": None,
    }
    assert search_as(user, "")["results"] == []
    assert suggest_as(user, "k") == []


def test_accented_and_cjk_text_is_found(user, make_wiki, search_as):
    make_wiki(
        user,
        {"index.md": "# Café\n\nLe café crème.\n\n## 東京\n\n東京タワーは高い。\n"},
    )
    assert search_as(user, "café")["total"] >= 1
    assert search_as(user, "crème")["total"] >= 1
    assert "東京" in str(search_as(user, "東京タワーは高い")["results"][0]["section"])
    assert search_as(user, "タワー")["total"] >= 1  # substring inside a CJK run


# --- suggestions -------------------------------------------------------------------


def test_suggestions_offer_wiki_titles_page_titles_and_headings(
    user, corpus, suggest_as
):
    found = suggest_as(user, "kub")
    assert found[0] == {
        "text": "Kubernetes",
        "type": "page",
        "url": f"/wikis/{corpus.slug}/kubernetes.md",
        "wiki": "Team handbook",
    }
    assert {
        "text": "Team handbook",
        "type": "wiki",
        "url": f"/wikis/{corpus.slug}/",
        "wiki": "Team handbook",
    } in suggest_as(user, "team hand")
    heading = [s for s in suggest_as(user, "restore dr") if s["type"] == "heading"]
    assert heading[0]["url"] == f"/wikis/{corpus.slug}/guide/backup.md#restore-drill"


def test_suggestions_tolerate_a_typo(user, corpus, suggest_as):
    assert any(s["text"] == "Kubernetes" for s in suggest_as(user, "kubernets"))


def test_suggestions_respect_the_limit(user, make_wiki, suggest_as):
    make_wiki(
        user,
        {
            "index.md": "# Top\n\n"
            + "".join(f"## Topic {i}\n\ntext\n\n" for i in range(30))
        },
    )
    assert len(suggest_as(user, "topic", limit=5)) == 5
    assert len(suggest_as(user, "topic")) == 8


# --- cache, log, metrics -----------------------------------------------------------


def test_cached_results_follow_edits(
    user, corpus, search_as, django_capture_on_commit_callbacks
):
    from deepwiki.wikis.services import file_save

    assert search_as(user, "walrus")["total"] == 0
    assert search_as(user, "budget")["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        file_save(
            actor=user,
            wiki=corpus,
            path="notes.md",
            content="# Meeting notes\n\nwalrus\n",
        )
    assert paths(search_as(user, "walrus")) == ["notes.md"]
    assert search_as(user, "budget")["total"] == 0


def test_submitted_searches_are_logged_but_suggestions_are_not(
    user, corpus, api_as, search_as
):
    from deepwiki.activity.models import SearchLog

    search_as(user, "kubernetes")
    search_as(user, "nothing-matches-this")
    api_as(user).get("/api/wiki/search/suggestions", {"q": "kube"})
    logs = list(
        SearchLog.objects.order_by("id").values_list("query", "results", "user_id")
    )
    total = search_as(user, "kubernetes")["total"]
    assert logs == [
        ("kubernetes", total, user.pk),
        ("nothing-matches-this", 0, user.pk),
    ]


def test_search_and_suggest_are_counted(user, corpus, api_as):
    from deepwiki.ops.metrics import SEARCHES

    before = {k: SEARCHES.labels(k)._value.get() for k in ("search", "suggest")}
    client = api_as(user)
    client.get("/api/wiki/search", {"q": "kubernetes"})
    client.get("/api/wiki/search/suggestions", {"q": "kube"})
    assert SEARCHES.labels("search")._value.get() == before["search"] + 1
    assert SEARCHES.labels("suggest")._value.get() == before["suggest"] + 1


def test_bad_filter_values_get_a_clear_error(user, api_as):
    response = api_as(user).get("/api/wiki/search", {"q": "x" * 3, "from": "yesterday"})
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "from" in response.json()["details"]
    assert (
        api_as(user).get("/api/wiki/search", {"q": "abc", "limit": 500}).status_code
        == 422
    )


def test_engine_matches_the_database(db):
    from deepwiki.search.backends import get_backend

    assert get_backend().vendor == connection.vendor
    assert get_backend().problems() == []


def test_ranking_past_the_rank_window_still_puts_titles_first(
    user, make_wiki, search_as, monkeypatch
):
    from deepwiki.search.backends import postgres, sqlite

    for module in (sqlite, postgres):
        monkeypatch.setattr(module, "RANK_WINDOW", 3)
        monkeypatch.setattr(module, "COUNT_CAP", 15)
    files = {"index.md": "# Start\n\nintro\n", "zebra.md": "# Zebra\n\nstripes\n"}
    files.update(
        {f"p{i:02}.md": f"# Page {i}\n\nplain zebra text {i}\n" for i in range(20)}
    )
    make_wiki(user, files)
    first = search_as(user, "zebra", limit=3)
    assert (first["total"], first["total_capped"]) == (15, True)
    assert paths(first)[0] == "zebra.md"
    second = search_as(user, "zebra", limit=3, offset=3)
    assert not {h["url"] for h in first["results"]} & {
        h["url"] for h in second["results"]
    }
    assert search_as(user, "stripes")["total_capped"] is False


def test_a_prefix_shared_by_many_words_still_finds_them_all(user, make_wiki, search_as):
    body = "\n\n".join(f"## Part {i}\n\nzetaword{i:02}x here" for i in range(30))
    make_wiki(user, {"index.md": f"# Greek\n\n{body}\n"})
    assert search_as(user, "zetaword", limit=50)["total"] == 30
    assert search_as(user, "zetaword07")["total"] == 1


def test_suggestions_match_a_later_word_of_a_title(user, corpus, suggest_as):
    found = suggest_as(user, "handb")
    assert {"text": "Team handbook", "type": "wiki"} in [
        {"text": s["text"], "type": s["type"]} for s in found
    ]
