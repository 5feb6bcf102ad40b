"""A reader opens the seed article of a crawled mirror archive in Chromium, in
`lsarchive serve` and in a plain `datasette archive.db`: its images stand where
they stood on the portal (images 1–2 after paragraph 1, image 3 after paragraph
3, images 4–5 after paragraph 4), each caption beneath its image."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from .test_browser import chromium_page, require_chromium
from .test_browser_search import serve, server_command

DATASETTE = Path(sys.executable).with_name("datasette")

# The body of the seed article as the portal lays it out: "p" a paragraph,
# a number the image of that position.
SEED_LAYOUT = ["p", 1, 2, "p", "p", 3, "p", 4, 5, "p"]

# Each child of the article body, in DOM order: a paragraph's first words, or an
# image's position, whether it was drawn, and where its caption sits relative to it.
READ_BODY = """() => [...document.querySelectorAll('.lsa-body > *')].map(el => {
    if (el.tagName === 'P') return {kind: 'p', text: el.textContent.slice(0, 40)};
    const img = el.querySelector('img'), caption = el.querySelector('figcaption');
    const imageBox = img.getBoundingClientRect(), captionBox = caption && caption.getBoundingClientRect();
    return {kind: el.tagName.toLowerCase(), position: Number(el.dataset.position),
            loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth, height: img.naturalHeight,
            caption: caption && caption.textContent,
            captionBelow: !!caption && captionBox.top >= imageBox.bottom - 1
                          && img.compareDocumentPosition(caption) === Node.DOCUMENT_POSITION_FOLLOWING};
})"""


@pytest.mark.slow
@pytest.mark.parametrize("server", ["lsarchive serve", "datasette archive.db"])
def test_seed_article_images_stand_after_the_paragraphs_they_followed(server, crawled_archive, seed, tmp_path):
    require_chromium()
    with sqlite3.connect(crawled_archive) as conn:
        (article_id,), = conn.execute("select id from articles where title = ?", [seed.title]).fetchall()
    process, base = serve(server_command(server, crawled_archive), tmp_path)
    try:
        with chromium_page(only=base) as page:
            page.goto(f"{base}/archive/articles/{article_id}")
            page.locator(".lsa-body figure").first.wait_for()
            # Scrolling draws the lazily loaded images.
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_function("[...document.querySelectorAll('.lsa-body img')]"
                                   ".every(img => img.complete)")
            body = page.evaluate(READ_BODY)
    finally:
        process.terminate()
        process.wait(timeout=10)

    layout = [part["kind"] if part["kind"] == "p" else part["position"] for part in body]
    assert layout == SEED_LAYOUT, body
    assert body[0]["text"].startswith("Ngày 09/1/2017")
    figures = [part for part in body if part["kind"] == "figure"]
    assert [f["caption"].split("/5", 1)[1] for f in figures] == seed.captions
    assert all(f["captionBelow"] for f in figures), figures
    assert all(f["loaded"] for f in figures), figures  # the archived copies, from media/
    assert all(f["width"] >= 600 and f["height"] >= 400 for f in figures), figures  # photos, not grey dots
