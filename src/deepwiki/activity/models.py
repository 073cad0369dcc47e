"""What happened: the activity log, daily page-view counters and the search log."""

from django.conf import settings
from django.db import models


class Activity(models.Model):
    """One thing someone did, written by the service that did it."""

    class Action(models.TextChoices):
        WIKI_CREATED = "wiki.created", "created a wiki"
        WIKI_UPDATED = "wiki.updated", "updated a wiki"
        WIKI_RESTORED = "wiki.restored", "restored a version"
        WIKI_DELETED = "wiki.deleted", "deleted a wiki"
        WIKI_EXPORTED = "wiki.exported", "exported a wiki"
        WIKI_VIEWED = "wiki.viewed", "viewed a page"
        FILE_EDITED = "file.edited", "edited a page"
        FILE_MOVED = "file.moved", "moved a file"
        FILE_DELETED = "file.deleted", "deleted a file"
        USER_REGISTERED = "user.registered", "registered"
        USER_ROLE_CHANGED = "user.role_changed", "changed a role"
        USER_DEACTIVATED = "user.deactivated", "deactivated a user"
        USER_REACTIVATED = "user.reactivated", "reactivated a user"
        USER_DELETED = "user.deleted", "deleted a user"
        LOGIN_FAILED = "login.failed", "failed to sign in"
        SETTINGS_CHANGED = "site.settings_changed", "changed the site settings"
        MAINTENANCE_STARTED = "maintenance.started", "started a maintenance task"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    wiki = models.ForeignKey(
        "wikis.Wiki", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    wiki_title = models.CharField(max_length=200, blank=True)
    # Who could read the wiki, kept so events of a deleted wiki stay filtered.
    wiki_visibility = models.CharField(max_length=10, blank=True)
    wiki_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    wiki_slug = models.CharField(max_length=80, blank=True)
    path = models.CharField(max_length=1024, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.wiki_slug}/{self.path}"


class PageView(models.Model):
    """Views of one file on one day (a counter, not a row per request)."""

    day = models.DateField()
    wiki = models.ForeignKey("wikis.Wiki", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1024)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "wiki", "path"], name="pageview_unique_day"
            )
        ]
        indexes = [models.Index(fields=["wiki", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.path}: {self.count}"


class RecentView(models.Model):
    """The last time a user viewed a page (for "recently viewed")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    wiki = models.ForeignKey("wikis.Wiki", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1024)
    title = models.CharField(max_length=300, blank=True)
    viewed_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "wiki", "path"], name="recentview_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} at {self.viewed_at}"


class SearchLog(models.Model):
    """One submitted search (not each keystroke of suggestions)."""

    query = models.CharField(max_length=500)
    normalized = models.CharField(max_length=500, db_index=True)
    results = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.query!r} ({self.results})"


class MaintenanceRun(models.Model):
    """One admin-requested maintenance task: what, who, status and what it did."""

    class Kind(models.TextChoices):
        CLEANUP = "cleanup", "Clean orphaned files"
        REINDEX = "reindex", "Rebuild the search index"
        RERENDER = "rerender", "Re-render stale pages"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    action = models.CharField(max_length=20, choices=Kind.choices)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def waiting_long(self) -> bool:
        """Queued for over a minute: probably no worker is running."""
        from datetime import timedelta

        from django.utils import timezone

        waited = timezone.now() - self.created_at
        return self.status == self.Status.QUEUED and waited > timedelta(minutes=1)
