"""The OpenAPI document is valid, typed, lists errors and marks the aliases."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def test_openapi_document_validates(spec):
    from openapi_spec_validator import validate

    validate(spec)


def test_resource_types_are_in_the_document(spec):
    schemas = spec["components"]["schemas"]
    for name in [
        "WikiOut",
        "WikiListOut",
        "FileOut",
        "FileDetailOut",
        "FilesOut",
        "TreeNode",
        "VersionOut",
        "VersionListOut",
        "DiffOut",
        "HitOut",
        "SearchOut",
        "ErrorOut",
        "UserRef",
        "OfferOut",
    ]:
        assert name in schemas, name
    assert set(schemas["ErrorOut"]["required"]) == {"error", "code", "details"}
    assert "email" not in schemas["WikiOut"]["properties"]


def test_every_operation_declares_its_success_type(spec):
    untyped = []
    for path, method, op in _operations(spec):
        ok = [code for code in op["responses"] if code.startswith("2")]
        assert ok, (method, path)
        for code in ok:
            content = op["responses"][code].get("content")
            if code == "204":
                continue
            if not content:
                untyped.append((method, path, code))
                continue
            schema = next(iter(content.values()))["schema"]
            if "$ref" not in schema and schema.get("format") != "binary":
                untyped.append((method, path, code, schema))
    assert untyped == []


def _error_ref(op, status: str) -> str | None:
    response = op["responses"].get(status)
    if response is None:
        return None
    return response["content"]["application/json"]["schema"].get("$ref")


def test_every_operation_lists_its_errors_with_the_error_shape(spec):
    missing = []
    for path, method, op in _operations(spec):
        if path == "/api/health":
            continue
        expected = set()
        if path.startswith("/api/auth/") and op.get("security") is None:
            expected = {"422"} if "requestBody" in op else set()
        else:
            expected.add("401")
        if op.get("parameters") or "requestBody" in op:
            expected.add("422")
        if "{slug}" in path or "{file_id}" in path:
            expected.add("404")
        if "requestBody" in op:
            expected |= {"413"}
        if method != "get" and op.get("security"):
            expected.add("403")  # a browser session without its CSRF token
        for status in expected:
            if _error_ref(op, status) != "#/components/schemas/ErrorOut":
                missing.append((method, path, status))
    assert missing == []


def test_upload_bodies_are_documented_as_multipart(spec):
    for path in ["/api/wikis", "/api/wiki/upload"]:
        body = spec["paths"][path]["post"]["requestBody"]["content"]
        form = body["multipart/form-data"]["schema"]
        assert form["properties"]["files"]["items"]["format"] == "binary"
        assert "files" in form["required"]
    into = spec["paths"]["/api/wikis/{slug}/files"]["post"]["requestBody"]["content"]
    assert into["multipart/form-data"]["schema"]["properties"]["mode"]["enum"] == [
        "replace",
        "merge",
    ]


def test_reference_paths_are_deprecated_aliases_of_canonical_paths(spec):
    aliases = {
        ("get", "/api/wiki/list"): "GET /api/wikis",
        ("post", "/api/wiki/upload"): "POST /api/wikis",
        ("post", "/api/wiki/bulk-delete"): "DELETE /api/wikis",
        ("get", "/api/wiki/search"): "GET /api/search",
        ("get", "/api/wiki/search/suggestions"): "GET /api/search/suggestions",
        ("get", "/api/wiki/stats"): "GET /api/stats/wikis",
        ("get", "/api/wiki/slug/{slug}"): "GET /api/wikis/{slug}",
        ("get", "/api/wiki/{slug}"): "GET /api/wikis/{slug}",
        ("put", "/api/wiki/{slug}"): "PUT /api/wikis/{slug}",
        ("delete", "/api/wiki/{slug}"): "DELETE /api/wikis/{slug}",
        ("get", "/api/wiki/{slug}/files"): "GET /api/wikis/{slug}/files",
        ("get", "/api/wiki/{slug}/file/{path}"): "GET /api/wikis/{slug}/files/{path}",
        ("get", "/api/wiki/file/{file_id}"): "GET /api/files/{file_id}",
    }
    for (method, path), canonical in aliases.items():
        op = spec["paths"][path][method]
        assert op.get("deprecated") is True, path
        assert f"Alias of `{canonical}`" in op["description"], path
        c_method, c_path = canonical.split(" ")
        assert not spec["paths"][c_path][c_method.lower()].get("deprecated")


def test_canonical_paths_never_put_a_word_where_a_slug_goes(spec):
    canonical = {p for p, _, op in _operations(spec) if not op.get("deprecated")}
    by_parent: dict[str, set[str]] = {}
    for path in canonical:
        parent, _, last = path.rpartition("/")
        by_parent.setdefault(parent, set()).add(last)
    for parent, names in by_parent.items():
        params = {n for n in names if n.startswith("{")}
        if params:
            assert names == params, (parent, names)


def test_openapi_json_has_no_duplicate_keys(client):
    """A repeated key (int 200 beside "200") makes the explorer's parser give up."""
    import json

    repeated = []

    def keep(pairs):
        keys = [key for key, _ in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=keep)
    assert repeated == []
