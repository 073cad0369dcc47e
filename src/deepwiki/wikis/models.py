"""Wikis: metadata, the current file tree, versions, content-addressed blobs, links."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private"
    INTERNAL = "internal", "Internal"
    PUBLIC = "public", "Public"


class FileKind(models.TextChoices):
    MARKDOWN = "markdown", "Markdown page"
    IMAGE = "image", "Image"
    ATTACHMENT = "attachment", "Attachment"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wiki(models.Model):
    """A tree of files with metadata; the unit of permissions and versions."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    tags = models.ManyToManyField(Tag, blank=True, related_name="wikis")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="wikis",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    entry_path = models.CharField(max_length=1024, blank=True)
    current_version = models.PositiveIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)
    total_size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["visibility", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class Blob(models.Model):
    """Stored bytes, keyed by SHA-256 (stored once however often they are used)."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256

    @property
    def storage_name(self) -> str:
        return f"blobs/{self.sha256[:2]}/{self.sha256}"


class BlobLock(models.Model):
    """One row whose update serialises blob deletion against imports reusing blobs.

    An import that found a blob's object already stored takes this lock in its
    transaction and checks the object still exists; whoever deletes objects
    takes it too and re-checks that no row uses them. See blobs.py.
    """

    taken = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"blob lock ({self.taken})"


class WikiFile(models.Model):
    """One file of a wiki's current tree, with its render cached at write time."""

    wiki = models.ForeignKey(Wiki, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=1024)
    sort_key = models.CharField(max_length=2048, db_index=True)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="files")
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    title = models.CharField(max_length=300, blank=True)
    html = models.TextField(blank=True)
    toc = models.JSONField(default=list, blank=True)
    meta = models.JSONField(default=dict, blank=True)
    render_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["wiki", "path"], name="wikifile_unique_path"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wiki.slug}/{self.path}"


class WikiVersion(models.Model):
    """An immutable numbered snapshot: the manifest maps every path to a blob hash."""

    wiki = models.ForeignKey(Wiki, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, default="updated")
    message = models.CharField(max_length=500, blank=True)
    manifest = models.JSONField(default=dict)
    file_count = models.PositiveIntegerField(default=0)
    total_size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["wiki", "number"], name="wikiversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wiki.slug} v{self.number}"


class Link(models.Model):
    """An outgoing link of a page: for backlinks and the broken-link report."""

    wiki = models.ForeignKey(Wiki, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(
        WikiFile, on_delete=models.CASCADE, related_name="outgoing_links"
    )
    target = models.CharField(max_length=1024)
    target_file = models.ForeignKey(
        WikiFile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_links",
    )
    kind = models.CharField(max_length=12)
    broken = models.BooleanField(default=False, db_index=True)

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target}"


class VersionBlob(models.Model):
    """Which blobs a version uses: makes "is this blob still needed?" one query."""

    version = models.ForeignKey(WikiVersion, on_delete=models.CASCADE, related_name="+")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "blob"], name="versionblob_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.blob_id}"


class OwnerOffer(models.Model):
    """An owner's offer to hand a wiki to the account with an e-mail address.

    Nothing changes until the person signed in with that address accepts, so an
    owner can neither dump a wiki on someone nor learn which addresses exist.
    """

    wiki = models.OneToOneField(
        Wiki, on_delete=models.CASCADE, related_name="owner_offer"
    )
    to_email = models.EmailField(max_length=254, db_index=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.wiki_id} -> {self.to_email}"


class UploadJob(models.Model):
    """A large upload rendered by a background task; the upload page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    # Chosen by the uploading page (so it can poll while the request runs) or
    # by the server; only its owner (and admins) can read it.
    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    wiki = models.ForeignKey(
        Wiki, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    options = models.JSONField(default=dict, blank=True)
    staged_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    pages = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.status})"
