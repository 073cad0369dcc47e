"""Template helpers for wiki pages: people, times, file URLs and the file tree."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from deepwiki.web.wikis.tree import wiki_file_url

register = template.Library()


@register.filter
def user_label(user) -> str:
    """Name a person for display (never by e-mail address); deleted: anonymous."""
    if user is None:
        return "deleted user"
    return getattr(user, "public_name", "") or "deleted user"


@register.simple_tag
def when(moment) -> SafeString:
    """A <time> element with a relative label and the exact time on hover."""
    if moment is None:
        return mark_safe('<span class="muted">never</span>')
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        local.strftime("%Y-%m-%d %H:%M %Z"),
        naturaltime(moment),
    )


@register.simple_tag
def file_url(wiki, path: str) -> str:
    """The shareable URL of one file of a wiki."""
    return wiki_file_url(wiki.slug, path)


@register.filter
def basename(path: str) -> str:
    """The file name part of a wiki path."""
    return str(path).rsplit("/", 1)[-1]


@register.filter
def diff_line_class(line: str) -> str:
    """CSS class of one line of a unified diff."""
    if line.startswith(("+++", "---")):
        return "diff-file"
    if line.startswith("@@"):
        return "diff-hunk"
    if line.startswith("+"):
        return "diff-add"
    if line.startswith("-"):
        return "diff-del"
    return "diff-ctx"
