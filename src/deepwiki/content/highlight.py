"""Fenced code: Pygments highlighting, Mermaid passthrough and the theme CSS."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

TOKEN_CLASS_PREFIX = "tok-"  # noqa: S105 - a CSS class prefix, not a secret
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_LANG_RE = re.compile(r"^[\w+#.\-]{1,40}$")
_OPTIONS_RE = re.compile(r"\{([^}]*)\}")
_FIRST_WORD_RE = re.compile(r"[^\s,{\[]+")
_KEY_RE = re.compile(
    r"""\b(title|linenums|hl_lines|start)=("[^"]*"|'[^']*'|\S+)""", re.I
)
_BRACKET_TITLE_RE = re.compile(r"\[([^\]]{1,200})\]")
_BRACE_LINES_RE = re.compile(r"^[\d,\s-]+$")
_LINENO_FLAGS = frozenset(
    {
        "linenos",
        ".linenos",
        "linenos=true",
        "line-numbers",
        "linenums",
        "showLineNumbers",
    }
)
_COPY_BUTTON = (
    '<button type="button" class="copy-button" aria-label="Copy code">Copy</button>'
)


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """What an author's fence info string asks for (MkDocs, VitePress, mdBook)."""

    lang: str = ""
    linenos: bool = False
    start: int = 1
    highlight: frozenset[int] = frozenset()
    title: str = ""


def parse_info(info: str) -> tuple[str, bool]:
    """Split a fence info string into (language, line numbers wanted)."""
    parsed = fence_info(info)
    return parsed.lang, parsed.linenos


def fence_info(info: str) -> FenceInfo:
    """Read `rust,ignore`, `py title="a.py" linenums="3" hl_lines="2 3"`, `js{1,4-5}`."""
    info = info.strip()
    keyed = {m.group(1).lower(): _unquote(m.group(2)) for m in _KEY_RE.finditer(info)}
    rest = _KEY_RE.sub(" ", info)
    title_match = _BRACKET_TITLE_RE.search(rest)
    rest = _BRACKET_TITLE_RE.sub(" ", rest)
    groups = _OPTIONS_RE.findall(rest)
    numeric = [g for g in groups if _BRACE_LINES_RE.match(g)]
    braces = " ".join(g for g in groups if not _BRACE_LINES_RE.match(g))
    rest = _OPTIONS_RE.sub(" ", rest)
    words = rest.replace(",", " ").split()
    first = _FIRST_WORD_RE.match(info)
    lang = (first.group(0) if first else "").lower().lstrip(".")
    if not lang and braces:  # Pandoc style: {.python .linenos}
        lang = next((w[1:].lower() for w in braces.split() if w[:1] == "."), "")
        lang = "" if lang == "linenos" else lang
    lang = lang if _LANG_RE.match(lang) else ""
    flags = set(braces.replace(",", " ").split()) | set(words[1:])
    start = _int_or(keyed.get("linenums") or keyed.get("start"), 0)
    linenos = bool(flags & _LINENO_FLAGS) or start > 0
    lines = keyed.get("hl_lines", "") + " " + ",".join(numeric)
    return FenceInfo(
        lang=lang,
        linenos=linenos,
        start=max(start, 1),
        highlight=_line_set(lines),
        title=keyed.get("title") or (title_match.group(1) if title_match else ""),
    )


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value


def _int_or(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _line_set(spec: str) -> frozenset[int]:
    """Turn `2 3 5-7` / `1,4-5` into line numbers (bounded, never raises)."""
    lines: set[int] = set()
    for part in spec.replace(",", " ").split():
        low, _, high = part.partition("-")
        a, b = _int_or(low, 0), _int_or(high or low, 0)
        if 0 < a <= b and b - a < 10_000:
            lines.update(range(a, b + 1))
    return frozenset(lines)


@lru_cache(maxsize=256)
def _lexer_for(lang: str) -> Lexer | None:
    """Find a Pygments lexer by name or alias; None when unknown."""
    if not lang:
        return None
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except (ClassNotFound, ValueError):
        return None


@lru_cache(maxsize=512)
def _css_class(ttype: _TokenType) -> str:
    """Map a token type to its short class, walking up to a styled parent."""
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    short = STANDARD_TYPES[ttype]
    return f"{TOKEN_CLASS_PREFIX}{short}" if short and short != "w" else ""


def _runs(tokens: Iterable[tuple[_TokenType, str]]) -> Iterable[tuple[str, str]]:
    """Merge neighbouring tokens that share a CSS class."""
    css, buffer = "", ""
    for ttype, value in tokens:
        next_css = _css_class(ttype)
        if next_css != css and buffer:
            yield css, buffer
            buffer = ""
        css = next_css
        buffer += value
    if buffer:
        yield css, buffer


def _format(tokens: Iterable[tuple[_TokenType, str]]) -> str:
    """Emit one span per run of same-class text, closed at every line end."""
    out: list[str] = []
    for css, value in _runs(tokens):
        text = escape(value, quote=False)
        if not css:
            out.append(text)
        elif "\n" in text:
            out.append(
                "\n".join(
                    f'<span class="{css}">{part}</span>' if part else ""
                    for part in text.split("\n")
                )
            )
        else:
            out.append(f'<span class="{css}">{text}</span>')
    return "".join(out)


def highlight_code(code: str, lang: str) -> str:
    """Return highlighted (or escaped) code HTML; never raises."""
    lexer = _lexer_for(lang)
    if lexer is None:
        return escape(code, quote=False)
    try:
        return _format(lexer.get_tokens(code))
    except Exception:  # a lexer bug must not break a page
        return escape(code, quote=False)


def _decorate_lines(code_html: str, info: FenceInfo) -> str:
    """Number lines (CSS-drawn, so copying skips them) and mark highlighted ones."""
    lines = code_html.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for n, line in enumerate(lines, start=1):
        number = (
            f'<span class="{TOKEN_CLASS_PREFIX}ln" data-line="{n + info.start - 1}">'
            "</span>"
            if info.linenos
            else ""
        )
        if n in info.highlight:
            out.append(f'<span class="hll">{number}{line}\n</span>')
        else:
            out.append(f"{number}{line}\n")
    return "".join(out)


def render_code_block(code: str, info: str) -> str:
    """Render a fence as the code block widget, or a Mermaid source block."""
    parsed = fence_info(info)
    lang = parsed.lang
    if lang == "mermaid":
        return f'<pre class="mermaid">{escape(code, quote=False)}</pre>\n'
    if lang in ("math", "latex-math"):
        from .plugins.math import tex_to_mathml

        return f'<div class="math-display">{tex_to_mathml(code, display=True)}</div>\n'
    diagram = ""
    if lang == "mermaid-example":  # MkDocs/VitePress: the diagram and its source
        diagram = f'<pre class="mermaid">{escape(code, quote=False)}</pre>\n'
        parsed = FenceInfo(**{**_fields(parsed), "lang": "mermaid"})
        lang = "mermaid"
    body = highlight_code(code, lang)
    if parsed.linenos or parsed.highlight:
        body = _decorate_lines(body, parsed)
    label = escape(lang or "text")
    title = (
        f'<span class="codeblock-title">{escape(parsed.title)}</span>'
        if parsed.title
        else ""
    )
    return (
        f"{diagram}"
        f'<div class="codeblock" data-lang="{label}">'
        f'<div class="codeblock-header">{title}'
        f'<span class="codeblock-lang">{label}</span>'
        f"{_COPY_BUTTON}</div>"
        f'<pre class="highlight"><code>{body}</code></pre></div>\n'
    )


def _fields(info: FenceInfo) -> dict:
    return {name: getattr(info, name) for name in FenceInfo.__slots__}


def token_classes() -> frozenset[str]:
    """Return every CSS class the highlighter can emit (for the sanitiser)."""
    names = {
        f"{TOKEN_CLASS_PREFIX}{short}" for short in STANDARD_TYPES.values() if short
    }
    return frozenset(names | {f"{TOKEN_CLASS_PREFIX}ln", "hll", "codeblock-title"})


def pygments_css() -> str:
    """Build the light and dark token colours for static/deepwiki/css/pygments.css."""
    # Exactly one style applies for every (theme attribute, system scheme) pair,
    # so a token one style leaves uncoloured never keeps the other's colour.
    light, dark = '[data-theme="light"]', '[data-theme="dark"]'
    return "\n".join(
        [
            "/* Generated by deepwiki.content.pygments_css(); do not edit. */",
            _style_rules(LIGHT_STYLE, light),
            _style_rules(DARK_STYLE, dark),
            "@media (prefers-color-scheme: light) {",
            _style_rules(LIGHT_STYLE, f":root:not({dark})"),
            "}",
            "@media (prefers-color-scheme: dark) {",
            _style_rules(DARK_STYLE, f":root:not({light})"),
            "}",
            "",
        ]
    )


def _style_rules(style: str, scope: str) -> str:
    """Return token rules for one Pygments style scoped under a selector."""
    formatter = HtmlFormatter(style=style, classprefix=TOKEN_CLASS_PREFIX)
    rules = formatter.get_token_style_defs(f"{scope} .highlight")
    return "\n".join(line for line in rules if line.strip())
