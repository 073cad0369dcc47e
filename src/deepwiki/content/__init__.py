"""DeepWiki's content pipeline: Markdown in, safe HTML and index data out.

Pure Python, no Django import, so it can run anywhere (workers, CLI, tests).

``render(source, *, path, resolve_link=None, sanitize=True)`` calls
``resolve_link(target, kind)`` for every wiki-internal reference:

- ``kind == "relative"``: a Markdown link or image target that is neither an
  in-page anchor nor a URL with a scheme, exactly as written in the file but
  percent-decoded, relative to ``path`` (e.g. ``../guide/setup.md#install``,
  ``img/a.png``, ``/top.md``). ``join_wiki_path(path, target)`` resolves it to a
  wiki path.
- ``kind == "wikilink"``: the text of ``[[...]]`` before any ``|``, stripped
  (e.g. ``Page name#section``).

It returns the URL to put in the HTML, or ``None`` when the target does not
exist: the link is then rendered with class ``broken-link`` and a
``title="Page not found: …"`` and reported with ``broken=True``.
"""

from .headings import slugify
from .highlight import pygments_css
from .links import LinkResolver, classify_target, join_wiki_path
from .render import RENDER_VERSION, render
from .sanitize import sanitize_html
from .types import Heading, Link, LinkKind, RenderedPage, Section

__all__ = [
    "RENDER_VERSION",
    "Heading",
    "Link",
    "LinkKind",
    "LinkResolver",
    "RenderedPage",
    "Section",
    "classify_target",
    "join_wiki_path",
    "pygments_css",
    "render",
    "sanitize_html",
    "slugify",
]
