"""The one allow-list sanitiser for every piece of HTML made from user content."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import nh3

from .highlight import token_classes

USER_ID_PREFIX = "user-content-"
_RASTER_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_SAFE_ID = re.compile(r"^[\w\-:.]{1,100}$")
# Footnote ids come from mdit-py-plugins: fn1, fnref1, fnref1:2.
_FOOTNOTE_ID = re.compile(r"^fn(ref)?\d+(:\d+)?$")
_URL_ATTRS = frozenset({"href", "src", "cite"})

TAGS = frozenset(
    """a abbr b blockquote br button caption cite code dd del details div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q s
    samp section small span strong sub summary sup table tbody td tfoot th thead tr
    u ul var""".split()
)
# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    """script style template noscript textarea title xmp iframe object embed applet
    svg math noembed noframes plaintext select""".split()
)
_GLOBAL_ATTRS = {"id", "title", "lang", "dir"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL_ATTRS,
    "a": {"href", "aria-label"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "div": {"data-lang"},
    "span": {"data-line", "aria-hidden"},
    "button": {"aria-label"},
    "input": {"checked"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# Attributes whose value must be one of a few; the pipeline sets them.
ATTRIBUTE_VALUES = {
    "a": {"rel": {"noopener noreferrer"}},
    "button": {"type": {"button"}},
    "input": {"type": {"checkbox"}},
}
# Forced on every such element: a task box can only ever be a disabled checkbox.
FORCED_VALUES = {
    "input": {"type": "checkbox", "disabled": "disabled"},
    "button": {"type": "button"},
}
CLASSES: dict[str, set[str]] = {
    "a": {"heading-anchor", "external", "wikilink", "broken-link", "footnote-backref"},
    "img": {"broken-link"},
    "div": {"codeblock", "codeblock-header"},
    "span": {"codeblock-lang", *token_classes()},
    "button": {"copy-button"},
    "pre": {"highlight", "mermaid"},
    "input": {"task-list-item-checkbox"},
    "li": {"task-list-item", "footnote-item"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list", "footnotes-list"},
    "section": {"footnotes"},
    "hr": {"footnotes-sep"},
    "sup": {"footnote-ref"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})


def _filter_for(id_marker: str) -> Callable[[str, str, str], str | None]:
    """Build the per-attribute check: ids prefixed, data: URLs only for images."""

    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            if id_marker and value.startswith(id_marker):
                return value[len(id_marker) :] or None
            if _FOOTNOTE_ID.match(value):
                return value
            return USER_ID_PREFIX + value if _SAFE_ID.match(value) else None
        if attribute in _URL_ATTRS and value[:5].lower() == "data:":
            return value if element == "img" and _RASTER_DATA.match(value) else None
        return value

    return attribute_filter


_DEFAULT_FILTER = _filter_for("")
_OPTIONS: dict[str, Any] = {
    "tags": set(TAGS),
    "clean_content_tags": set(DROP_WITH_CONTENT),
    "attributes": ATTRIBUTES,
    "strip_comments": True,
    "link_rel": None,
    "tag_attribute_values": ATTRIBUTE_VALUES,
    "set_tag_attribute_values": FORCED_VALUES,
    "allowed_classes": CLASSES,
}
# Same allow-list, no data: URLs and no per-attribute Python callback (~20% faster).
_PLAIN_OPTIONS = {**_OPTIONS, "url_schemes": set(URL_SCHEMES - {"data"})}
_PLAIN_CLEANER = nh3.Cleaner(**_PLAIN_OPTIONS) if hasattr(nh3, "Cleaner") else None


def sanitize_html(html: str, *, id_marker: str = "") -> str:
    """Clean HTML by allow-list; ids not carrying the pipeline's marker get a prefix.

    id_marker is a per-render secret the pipeline puts in front of the ids it
    generates; raw HTML cannot guess it, so its ids become "user-content-…".
    """
    return nh3.clean(
        html,
        attribute_filter=_filter_for(id_marker) if id_marker else _DEFAULT_FILTER,
        url_schemes=set(URL_SCHEMES),
        **_OPTIONS,
    )


def sanitize_generated_html(html: str) -> str:
    """Clean HTML whose every id is pipeline-made and that has no data: URL.

    Only for render(): when a page holds no raw HTML, ids need no prefix, so
    the same allow-list runs without the Python attribute callback.
    """
    if _PLAIN_CLEANER is not None:
        return _PLAIN_CLEANER.clean(html)
    return nh3.clean(html, **_PLAIN_OPTIONS)


# ---------------------------------------------------------------------------
# Markdown dialects (callouts, tabs, math, listings, anchors): issue 13.
# Kept in one block so it reads (and merges) apart from the rules above.
# ---------------------------------------------------------------------------
# MathML Core presentation elements that latex2mathml emits. Left out on
# purpose: annotation-xml (an HTML integration point), maction, mglyph,
# malignmark; and no element here takes a URL attribute.
MATHML_TAGS = frozenset(
    """math annotation menclose merror mfrac mi mmultiscripts mn mo mover mpadded
    mphantom mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable
    mtd mtext mtr munder munderover none semantics""".split()
)
MATHML_ATTRS = {
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing",
    "depth", "display", "displaystyle", "fence", "form", "frame", "height",
    "largeop", "linethickness", "lspace", "mathvariant", "maxsize", "minsize",
    "movablelimits", "notation", "rowalign", "rowlines", "rowspacing", "rspace",
    "scriptlevel", "separator", "stretchy", "symmetric", "width", "encoding",
}  # fmt: skip
_CALLOUT_KINDS = ("note", "tip", "important", "warning", "caution", "danger", "info")
_DIALECT_CLASSES: dict[str, set[str]] = {
    "div": {
        "callout",
        *(f"callout-{k}" for k in _CALLOUT_KINDS),
        "tabbed-set",
        "tabbed-block",
        "code-group",
        "math-display",
    },
    "details": {"callout", *(f"callout-{k}" for k in _CALLOUT_KINDS), "tabbed-tab"},
    "p": {"callout-title", "listing-file"},
    "summary": {"callout-title", "tabbed-label"},
    "span": {"math-error", "icon-label"},
    "figure": {"listing"},
}
_DIALECT_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"name"},  # <a name="x"> anchors (htmltags.py adds one for <a id="x">)
    "details": {"name"},  # one name per tab set: the browser keeps one tab open
    **{tag: set(MATHML_ATTRS) for tag in MATHML_TAGS},
}


_RESERVED_NAME = "dw-"  # the site's own ids and names
_base_filter_for = _filter_for


def _filter_for(id_marker: str) -> Callable[[str, str, str], str | None]:  # noqa: F811
    """Add the `name` check to the base filter: a plain, unreserved anchor name."""
    base = _base_filter_for(id_marker)

    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if attribute == "name":
            ok = _SAFE_ID.match(value) and not value.startswith(_RESERVED_NAME)
            return value if ok else None
        return base(element, attribute, value)

    return attribute_filter


def _add_dialects() -> None:
    for options in (_OPTIONS, _PLAIN_OPTIONS):
        options["tags"] = set(TAGS)
        options["clean_content_tags"] = set(DROP_WITH_CONTENT) - {"math"}
        for tag, names in _DIALECT_ATTRIBUTES.items():
            options["attributes"][tag] = options["attributes"].get(tag, set()) | names
        for tag, names in _DIALECT_CLASSES.items():
            options["allowed_classes"][tag] = (
                options["allowed_classes"].get(tag, set()) | names
            )


TAGS = TAGS | MATHML_TAGS
_add_dialects()
_DEFAULT_FILTER = _filter_for("")
_PLAIN_CLEANER = nh3.Cleaner(**_PLAIN_OPTIONS) if hasattr(nh3, "Cleaner") else None
