"""Reads of wikis, files, links and versions (no writes here)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from deepwiki.wikis.blobs import blob_read_bytes
from deepwiki.wikis.filetypes import kind_of_path
from deepwiki.wikis.models import Blob, Link, OwnerOffer, Wiki, WikiFile, WikiVersion
from deepwiki.wikis.paths import choose_entry, natural_sort_key
from deepwiki.wikis.permissions import readable_wikis

SORTS = {
    "updated": ("-updated_at", "-id"),
    "created": ("-created_at", "-id"),
    "title": ("title", "id"),
}


def wiki_list_for_user(
    user, *, tag: str | None = None, sort: str = "updated", q: str | None = None
) -> QuerySet[Wiki]:
    """Return the wikis a user may read, filtered by tag and title words, sorted."""
    qs = readable_wikis(user).select_related("owner").prefetch_related("tags")
    if tag:
        qs = qs.filter(tags__name=tag.strip().lower())
    if q:
        for word in q.split()[:10]:
            qs = qs.filter(Q(title__icontains=word) | Q(slug__icontains=word))
    return qs.order_by(*SORTS.get(sort, SORTS["updated"])).distinct()


def file_get_by_path(wiki: Wiki, path: str) -> WikiFile | None:
    """Return the current file at a path (exact, then ignoring case), or None."""
    path = str(path).strip("/")
    if not path or "\x00" in path:
        return None
    files = WikiFile.objects.select_related("blob", "updated_by")
    found = files.filter(wiki=wiki, path=path).first()
    if found is None:
        found = files.filter(wiki=wiki, path__iexact=path).order_by("path").first()
    return found


def file_tree(wiki: Wiki) -> list[dict]:
    """Return the nested tree: entry page first, then folders and files naturally."""
    rows = WikiFile.objects.filter(wiki=wiki).values_list("path", "kind", "title")
    return build_tree(rows, entry_path=wiki.entry_path)


def manifest_tree(manifest: dict) -> list[dict]:
    """The same tree for an old version, from its manifest {path: sha256}."""
    rows = [(path, kind_of_path(path), "") for path in manifest]
    return build_tree(rows, entry_path=choose_entry(list(manifest)))


def build_tree(rows, *, entry_path: str) -> list[dict]:
    """Nest (path, kind, title) rows into folders; the one tree builder."""
    root: dict = {"children": {}}
    for path, kind, title in rows:
        node = root
        parts = path.split("/")
        for depth, part in enumerate(parts[:-1]):
            folder = "/".join(parts[: depth + 1])
            node = node["children"].setdefault(
                part, {"name": part, "path": folder, "kind": "folder", "children": {}}
            )
        node["children"][parts[-1]] = {
            "name": parts[-1],
            "path": path,
            "kind": kind,
            "title": title,
            "is_entry": path == entry_path,
            "children": [],
        }
    return _sorted_children(root)


def _sorted_children(node: dict) -> list[dict]:
    """Order one folder's children: entry first, folders, then files (natural order)."""
    out = []
    for child in node["children"].values():
        if child["kind"] == "folder":
            child = {**child, "is_entry": False, "children": _sorted_children(child)}
        out.append(child)
    out.sort(
        key=lambda c: (
            not c["is_entry"],
            c["kind"] != "folder",
            natural_sort_key(c["name"]),
        )
    )
    return out


def blob_read(blob: Blob) -> bytes:
    """Return the bytes of a stored blob."""
    return blob_read_bytes(blob.sha256 if isinstance(blob, Blob) else str(blob))


def file_text(file: WikiFile) -> str:
    """Return the UTF-8 source of a text file (a BOM is dropped)."""
    return blob_read_bytes(file.blob_id).decode("utf-8-sig")


# What lists and joins of files need: never the rendered HTML or the TOC.
LIST_FIELDS = ("id", "wiki_id", "path", "title", "kind", "sort_key")


def backlinks(file: WikiFile) -> QuerySet[WikiFile]:
    """Return the files of the same wiki that link to this file (no HTML loaded)."""
    sources = Link.objects.filter(target_file=file).values("source_id")
    return (
        WikiFile.objects.filter(wiki_id=file.wiki_id, pk__in=sources)
        .exclude(pk=file.pk)
        .only(*LIST_FIELDS)
        .order_by("sort_key")
    )


def broken_links(wiki: Wiki) -> QuerySet[Link]:
    """Return the links of a wiki that point nowhere."""
    return (
        Link.objects.filter(wiki=wiki, broken=True)
        .select_related("source")
        .order_by("source__sort_key", "target")
    )


def version_list(wiki: Wiki) -> QuerySet[WikiVersion]:
    """Return a wiki's versions, newest first."""
    return (
        WikiVersion.objects.filter(wiki=wiki)
        .select_related("author")
        .defer("manifest")
        .order_by("-number")
    )


def version_get(wiki: Wiki, number: int) -> WikiVersion:
    """Return one version or raise Http404."""
    version = (
        WikiVersion.objects.filter(wiki=wiki, number=number)
        .select_related("author")
        .first()
    )
    if version is None:
        raise Http404("No such version.")
    return version


def version_file_bytes(wiki: Wiki, number: int, path: str) -> bytes | None:
    """Return a file's bytes as of a version (None when it did not exist then)."""
    manifest = version_get(wiki, number).manifest
    sha = manifest.get(str(path).strip("/"))
    if sha is None:
        folded = str(path).strip("/").casefold()
        sha = next((v for k, v in manifest.items() if k.casefold() == folded), None)
    return None if sha is None else blob_read_bytes(sha)


def version_manifest_path(manifest: dict, path: str) -> str | None:
    """Return the manifest key matching a path (exact, then ignoring case)."""
    path = str(path).strip("/")
    if path in manifest:
        return path
    return next((k for k in manifest if k.casefold() == path.casefold()), None)


def wiki_get_fresh(wiki: Wiki) -> Wiki:
    """Return the wiki as stored now (after a service changed it), owner included."""
    return Wiki.objects.select_related("owner").prefetch_related("tags").get(pk=wiki.pk)


def file_list(wiki: Wiki) -> QuerySet[WikiFile]:
    """Return the current files of a wiki in natural order."""
    return wiki.files.order_by("sort_key")


def file_get_readable_by_id(user, file_id: int) -> WikiFile | None:
    """Return a current file by id if its wiki is readable by `user`, else None."""
    return (
        WikiFile.objects.select_related("wiki", "blob", "updated_by")
        .filter(pk=file_id, wiki__in=readable_wikis(user))
        .first()
    )


def offer_for_wiki(wiki: Wiki) -> OwnerOffer | None:
    """Return the wiki's pending owner offer (None when there is none or it expired)."""
    return (
        OwnerOffer.objects.select_related("wiki", "offered_by")
        .filter(wiki=wiki, expires_at__gt=timezone.now())
        .first()
    )


def offer_list_for_user(user) -> QuerySet[OwnerOffer]:
    """Return the valid offers addressed to the signed-in `user`, newest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return OwnerOffer.objects.none()
    return (
        OwnerOffer.objects.select_related("wiki", "offered_by")
        .filter(
            to_email=user.email,
            expires_at__gt=timezone.now(),
            offered_by_id=F("wiki__owner_id"),
        )
        .order_by("-created_at")
    )
