"""Second chances for a query that found nothing: partial words and typo fixes."""

from __future__ import annotations

from deepwiki.search.models import SearchTerm
from deepwiki.search.query import Query

MAX_INFIX_EXPANSIONS = 20
TYPO_CANDIDATES = 40
MIN_TYPO_CHARS = 4


def expand_infix(query: Query, *, backend) -> Query | None:
    """Let unknown words match indexed words that contain them ("netes")."""
    unknown = _unknown_words(query, min_chars=3)
    mapping = {w: backend.infix_terms(w, limit=MAX_INFIX_EXPANSIONS) for w in unknown}
    mapping = {w: [t for t in terms if t != w] for w, terms in mapping.items()}
    mapping = {w: terms for w, terms in mapping.items() if terms}
    return query.expand_words(mapping) if mapping else None


def correct(query: Query, *, backend) -> Query | None:
    """Replace unknown words by the closest indexed word, if one is close enough."""
    mapping = {}
    for word in _unknown_words(query, min_chars=MIN_TYPO_CHARS):
        best = _closest(word, backend.similar_terms(word, limit=TYPO_CANDIDATES))
        if best:
            mapping[word] = best
    return query.replace_words(mapping) if mapping else None


def _unknown_words(query: Query, *, min_chars: int) -> list[str]:
    words = [w for w in dict.fromkeys(query.free_words()) if len(w) >= min_chars]
    known = set(
        SearchTerm.objects.filter(word__in=words).values_list("word", flat=True)
    )
    return [w for w in words if w not in known]


def _closest(word: str, candidates: list[str]) -> str:
    """Pick the nearest candidate within 1 edit (short words) or 2 edits."""
    allowed = 1 if len(word) <= 5 else 2
    best, best_distance = "", allowed + 1
    for candidate in candidates:
        if abs(len(candidate) - len(word)) > allowed:
            continue
        distance = edit_distance(word, candidate)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): swaps count once."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
