"""Parse what a user types into a small query tree, then into engine syntax.

User text never reaches FTS5 or to_tsquery raw: every term is reduced to runs
of word characters, which are then quoted, so quotes, brackets, operators and
markup in a query can only ever be searched for, never executed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 16
MAX_WORD_CHARS = 64
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
# Han, kana and Hangul: written without spaces, so indexed and searched one
# character at a time (a word becomes a phrase of its characters).
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CJK_OR_WORD = re.compile(CJK.pattern + r"|[^\W" + CJK.pattern[1:-1] + r"]+")


@dataclass(frozen=True, slots=True)
class Term:
    """One word, or several words that must appear together in this order."""

    words: tuple[str, ...]
    prefix: bool = False
    quoted: bool = False  # typed in quotes: taken literally, never "corrected"

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


@dataclass(frozen=True, slots=True)
class Clause:
    """Alternatives joined by OR; a negated clause excludes its one term."""

    terms: tuple[Term, ...]
    negated: bool = False

    def text(self) -> str:
        body = " OR ".join(t.text() for t in self.terms)
        return f"-{body}" if self.negated else body


@dataclass(frozen=True, slots=True)
class Query:
    """All positive clauses must match; no negated clause may."""

    clauses: tuple[Clause, ...] = ()

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    @property
    def is_empty(self) -> bool:
        """A query with nothing to look for (only exclusions, or nothing at all)."""
        return not self.positive

    def words(self) -> list[str]:
        """Return every positive word, in order."""
        return [w for c in self.positive for t in c.terms for w in t.words]

    def free_words(self) -> list[str]:
        """Return the positive words typed outside quotes (open to corrections)."""
        return [
            w for c in self.positive for t in c.terms if not t.quoted for w in t.words
        ]

    def text(self) -> str:
        """Return a canonical form, used in cache keys and "did you mean"."""
        return " ".join(c.text() for c in self.clauses)

    def replace_words(self, mapping: dict[str, str]) -> Query:
        """Return a copy with some positive words swapped (typo corrections)."""
        clauses = []
        for clause in self.clauses:
            if clause.negated:
                clauses.append(clause)
                continue
            terms = tuple(
                t
                if t.quoted
                else replace(t, words=tuple(mapping.get(w, w) for w in t.words))
                for t in clause.terms
            )
            clauses.append(replace(clause, terms=terms))
        return Query(tuple(clauses))

    def expand_words(self, mapping: dict[str, list[str]]) -> Query:
        """Return a copy where some single words become OR groups (infix matches)."""
        clauses = []
        for clause in self.clauses:
            terms: list[Term] = []
            for term in clause.terms:
                literal = term.phrase or term.quoted
                options = [] if literal else mapping.get(term.words[0], [])
                if options:
                    terms.extend(Term((w,)) for w in options)
                else:
                    terms.append(term)
            clauses.append(replace(clause, terms=tuple(terms)))
        return Query(tuple(clauses))


def normalize(text: str) -> str:
    """Fold case and compatibility forms the way both engines compare words."""
    return unicodedata.normalize("NFKC", text).casefold()


def words_of(text: str) -> list[str]:
    """Split text into normalised words (runs of letters, digits, underscores)."""
    return [w[:MAX_WORD_CHARS] for w in _WORD.findall(normalize(text))]


def cjk_spaced(text: str) -> str:
    """Return the CJK characters of a text, space-separated, runs on their own lines."""
    runs = re.findall(CJK.pattern + "+", normalize(text))
    return "\n".join(" ".join(run) for run in runs)


def _split_cjk(words: list[str]) -> list[str]:
    """Split words that hold CJK characters into single characters."""
    out: list[str] = []
    for word in words:
        out.extend(_CJK_OR_WORD.findall(word) if CJK.search(word) else [word])
    return out


def parse(raw: str, *, prefix_last: bool = True) -> Query:
    """Turn user input into a Query; never raises, whatever the input."""
    text = (raw or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare in ("OR", "|"):
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        words = tuple(_split_cjk(words_of(quoted if quoted is not None else bare)))
        if not words:
            continue
        term = Term(words, quoted=quoted is not None)
        if negated:
            clauses.append(Clause((term,), negated=True))
        elif pending_or:
            clauses[-1] = Clause(clauses[-1].terms + (term,))
        else:
            clauses.append(Clause((term,)))
        pending_or = False
        if len(clauses) >= MAX_CLAUSES:
            break
    query = Query(tuple(clauses))
    return _with_prefix(query, raw) if prefix_last else query


def _with_prefix(query: Query, raw: str) -> Query:
    """Mark the last typed word as a prefix, unless it was a quoted phrase."""
    if not query.clauses or raw.rstrip().endswith('"'):
        return query
    last = query.clauses[-1]
    term = last.terms[-1]
    if last.negated or term.phrase or term.quoted or len(term.words[0]) < 2:
        return query
    terms = last.terms[:-1] + (replace(term, prefix=True),)
    return Query(query.clauses[:-1] + (replace(last, terms=terms),))


def to_fts5(query: Query, *, columns: str = "") -> str:
    """Render for SQLite FTS5 MATCH: every word is a quoted string.

    `columns` ("title heading") limits the positive part to those columns.
    """

    def term(t: Term) -> str:
        quoted = '"' + " ".join(t.words).replace('"', '""') + '"'
        return quoted + ("*" if t.prefix else "")

    def clause(c: Clause) -> str:
        return "(" + " OR ".join(term(t) for t in c.terms) + ")"

    if query.is_empty:
        return ""
    expression = "(" + " AND ".join(clause(c) for c in query.positive) + ")"
    if columns:
        expression = "({" + columns + "} : " + expression + ")"
    for negative in query.negative:
        expression += " NOT " + clause(negative)
    return expression


def to_tsquery(query: Query) -> str:
    """Render for PostgreSQL to_tsquery(): quoted lexemes, <-> for phrases."""

    def lexeme(word: str, prefix: bool = False) -> str:
        return (
            "'"
            + word.replace("'", "''").replace("\\", "")
            + "'"
            + (":*" if prefix else "")
        )

    def term(t: Term) -> str:
        if not t.phrase:
            return lexeme(t.words[0], t.prefix)
        return "(" + " <-> ".join(lexeme(w) for w in t.words) + ")"

    def clause(c: Clause) -> str:
        body = "(" + " | ".join(term(t) for t in c.terms) + ")"
        return "!" + body if c.negated else body

    if query.is_empty:
        return ""
    return " & ".join(clause(c) for c in query.positive + query.negative)
