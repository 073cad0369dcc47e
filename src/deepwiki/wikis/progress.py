"""Progress of long writes ("rendering 312 of 1,501"), reported to whoever listens.

The write path calls `progress_report(phase, done, total)` at each step; it
costs nothing unless a caller (an upload job) installed a listener with
`progress_listening(...)` for the current context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (phase, done, total, seconds the step took: rendering reports each page's)
Listener = Callable[[str, int, int, float], None]
_listener: ContextVar[Listener | None] = ContextVar("deepwiki_progress", default=None)

PHASES = {
    "receiving": "Receiving the files",
    "checking": "Checking file {done:,} of {total:,}",
    "rendering": "Rendering page {done:,} of {total:,}",
    "saving": "Saving the new version",
}


def progress_report(phase: str, done: int, total: int, *, seconds: float = 0.0) -> None:
    """Tell the current listener (if any) how far a phase has come.

    The listener may raise to stop the work (e.g. past a render budget).
    """
    listener = _listener.get()
    if listener is not None:
        listener(phase, done, total, seconds)


@contextmanager
def progress_listening(listener: Listener) -> Iterator[None]:
    """Send the progress reported inside this block to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def progress_text(phase: str, done: int, total: int) -> str:
    """One sentence for people: "Rendering page 312 of 1,501"."""
    template = PHASES.get(phase, "Working")
    return template.format(done=done, total=total)
