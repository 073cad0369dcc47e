"""The upload page's progress bar shows the server's real progress (Chromium).

A large upload is rendered by a background task; with the immediate backend
(the embedded default) that happens inside the upload request, and the page
polls /api/uploads/{id} meanwhile: "Rendering page 3 of 6".
"""

from __future__ import annotations

import re
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP_FILES = """
([files]) => {
  const transfer = new DataTransfer();
  for (const [path, text] of files) {
    const file = new File([text], path.split("/").pop(), { type: "text/plain" });
    Object.defineProperty(file, "webkitRelativePath", { value: path });
    transfer.items.add(file);
  }
  const zone = document.getElementById("dropzone");
  for (const type of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}
"""
SEEN_PROGRESS = """
() => {
  const text = document.getElementById("upload-progress-text").textContent;
  if (/Rendering page \\d+ of 6/.test(text)) window.__seen = text;
  return Boolean(window.__seen);
}
"""


@pytest.fixture
def slow_background_upload(settings, monkeypatch):
    """Every upload goes to the task, and each page takes a moment to render."""
    from deepwiki.wikis import render_pool
    from deepwiki.wikis.services import uploads

    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "inline_render_bytes": 1}
    original = render_pool.render_with_links

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(render_pool, "render_with_links", slow)
    monkeypatch.setattr(uploads, "_WRITE_EVERY", 0)


def test_progress_bar_shows_rendering_progress_from_the_server(
    page, user, password, slow_background_upload
):
    from deepwiki.wikis.models import UploadJob, Wiki

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto("/wikis/-/upload")
    files = [[f"book/p{i}.md", f"# Page {i}\n\nText.\n"] for i in range(6)]
    page.evaluate(DROP_FILES, [files])
    page.locator("#upload-tree").get_by_text("book/p5.md").wait_for()
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_function(SEEN_PROGRESS, polling=100, timeout=60000)
    page.wait_for_url(re.compile(r"/wikis/[\w-]+/$"), timeout=60000)
    wiki = Wiki.objects.get()
    assert wiki.file_count == 6
    assert UploadJob.objects.get().status == "succeeded"
    assert not page.js_errors
