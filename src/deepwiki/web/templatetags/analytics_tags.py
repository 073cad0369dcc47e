"""Template helpers for the dashboard: activity sentences and trend wording."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from deepwiki.activity.models import Activity, MaintenanceRun

register = template.Library()
A = Activity.Action
SENTENCES = {
    A.WIKI_CREATED: "{actor} created {wiki}",
    A.WIKI_UPDATED: "{actor} updated {wiki}",
    A.WIKI_RESTORED: "{actor} restored an earlier version of {wiki}",
    A.WIKI_DELETED: "{actor} deleted the wiki {wiki}",
    A.WIKI_EXPORTED: "{actor} exported {wiki}",
    A.WIKI_VIEWED: "{actor} viewed {page} in {wiki}",
    A.FILE_EDITED: "{actor} edited {page} in {wiki}",
    A.FILE_MOVED: "{actor} moved {page} in {wiki}",
    A.FILE_DELETED: "{actor} deleted {page} from {wiki}",
    A.USER_REGISTERED: "{email} created an account",
    A.USER_ROLE_CHANGED: "{actor} changed the role of {email} from {from} to {to}",
    A.USER_DEACTIVATED: "{actor} deactivated {email}",
    A.USER_REACTIVATED: "{actor} reactivated {email}",
    A.USER_DELETED: "{actor} deleted the account {email}",
    A.LOGIN_FAILED: "Failed sign-in as {email} from {ip}",
    A.SETTINGS_CHANGED: "{actor} changed the site settings ({changed})",
    A.MAINTENANCE_STARTED: "{actor} started “{task}”",
}


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _link(text: str, href: str) -> SafeString:
    if href:
        return format_html('<a href="{}">{}</a>', href, text)
    return format_html("<strong>{}</strong>", text)


def _words(value) -> str:
    """A list of setting names as words ("site name, registration open")."""
    items = value if isinstance(value, list) else []
    return ", ".join(str(item).replace("_", " ") for item in items) or "no fields"


def _actor(activity: Activity) -> SafeString:
    if activity.actor is not None:
        # Wiki events are seen by every reader: name people, never show addresses.
        # Account and site events are for admins only, who see the address.
        name = (
            activity.actor.public_name
            if activity.action.startswith(("wiki.", "file."))
            else activity.actor.display_name
        )
        return format_html("<strong>{}</strong>", name)
    return format_html('<em class="muted">{}</em>', "deleted user")


def _values(activity: Activity, details: dict) -> dict:
    """The escaped pieces a sentence pattern can use."""
    wiki = activity.wiki
    title = wiki.title if wiki is not None else activity.wiki_title
    slug = activity.wiki_slug
    alive = wiki is not None and activity.action != A.WIKI_DELETED
    page = details.get("to") or activity.path
    page_alive = alive and activity.action != A.FILE_DELETED and activity.path
    task = details.get("task")
    return {
        "actor": _actor(activity),
        "wiki": _link(title or slug, _url("wiki_home", slug) if alive and slug else ""),
        "page": _link(page, _url("wiki_page", slug, page) if page_alive else ""),
        "email": format_html("<strong>{}</strong>", details.get("email") or "someone"),
        "from": str(details.get("from", "")),
        "to": str(details.get("to", "")),
        "ip": details.get("ip") or "an unknown address",
        "changed": _words(details.get("changed")),
        "task": MaintenanceRun.Kind(task).label
        if task in MaintenanceRun.Kind.values
        else "maintenance",
    }


@register.simple_tag
def activity_sentence(activity: Activity) -> SafeString:
    """One event as a sentence with links; every value is escaped."""
    details = activity.details if isinstance(activity.details, dict) else {}
    pattern = SENTENCES.get(activity.action, "{actor} " + activity.get_action_display())
    sentence = format_html(pattern, **_values(activity, details))
    if activity.action == A.LOGIN_FAILED and details.get("locked_out"):
        sentence = format_html(
            '{} <span class="badge badge-danger">locked out</span>', sentence
        )
    version = details.get("version")
    if (
        isinstance(version, int)
        and activity.wiki_slug
        and activity.action != A.WIKI_VIEWED
    ):
        sentence = format_html(
            '{} <span class="muted">· version {}</span>', sentence, version
        )
    message = details.get("message")
    if isinstance(message, str) and message.strip():
        sentence = format_html(
            '{} <q class="activity-message">{}</q>', sentence, message[:200]
        )
    return sentence


@register.filter
def key_label(key) -> str:
    """A result key as a label: "orphan_rows" → "Orphan rows"."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def result_value(value) -> str:
    """A task result value as people read it (yes/no, 1,234)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def stat_value(value: int, unit: str) -> str:
    """A figure as people read it: 1,234 or 12.3 MB."""
    return filesizeformat(value) if unit == "bytes" else f"{value:,}"


@register.simple_tag
def trend_text(stat) -> str:
    """Plain words for a card's trend, e.g. "2 new in 7 days, 1 the 7 before"."""
    t = stat.trend
    if stat.unit == "bytes":
        fmt = lambda v: filesizeformat(abs(v))  # noqa: E731
    else:
        fmt = lambda v: f"{abs(v):,}"  # noqa: E731
    if stat.trend_kind == "window" and stat.value == t.current:
        return f"vs {fmt(t.previous)} in the 7 days before"
    if stat.trend_kind == "window":
        return f"{fmt(t.current)} new in 7 days, {fmt(t.previous)} in the 7 before"
    if t.change == 0:
        return "No change since 7 days ago"
    sign = "+" if t.change > 0 else "−"
    pct = f" ({abs(t.percent)}%)" if t.percent is not None else ""
    return f"{sign}{fmt(t.change)}{pct} since 7 days ago"
