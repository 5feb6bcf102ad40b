"""The CONTRACT.md record an ideal extractor must produce for a mirror page.

Derived from the same `ArticleModel` the page is rendered from, with the
conventions of CONTRACT.md and shared/realworld/README.md:

- every text is NFC with white space collapsed (`normalize.clean_text`);
- `url` is the canonical link (the alias) resolved against the base URL;
- `section` is the last breadcrumb link, None on pages without breadcrumb;
- `published_at` keeps the seconds when the page has a machine-readable
  timestamp (RDFa, `<time datetime>`, Date field) and is minute precision
  when only the visible date line is there; `published_text` is the date
  line itself (`Thứ Ba, 10/01/2017 - 20:04`), without any "Gửi bởi ... vào"
  prefix;
- body: paragraphs, subheadings, list intro lines and list items, in order;
  not the repeated title, captions, credit lines or related links.
  A paragraph that holds a document link ("Tải về: Quyết định số ...") is
  text of the body and stays in `body`; the link is also in `attachments`;
- images: `src` is the src as written resolved against the page URL (kept
  percent-encoded), `alt` None when empty or missing, `caption` None when
  the image has none; `after_paragraph` the number of body paragraphs
  before it (0 when it stands before the first);
- credits and credit_lines from the trailing credit lines.
"""

from __future__ import annotations

from urllib.parse import urljoin

from ..normalize import clean_text
from .model import ArticleModel, date_line, iso_datetime

MACHINE_DATE_STYLES = frozenset({"rdfa", "time", "date_field"})


def _text_or_none(text: str | None) -> str | None:
    return clean_text(text) or None


def truth_record(model: ArticleModel, base_url: str) -> dict:
    url = urljoin(base_url, model.alias)
    body: list[str] = []
    images: list[dict] = []
    attachments: list[dict] = []
    for block in model.blocks:
        if block.kind in ("para", "lead", "heading"):
            body.append(clean_text(block.text))
        elif block.kind == "list":
            body += [clean_text(item) for item in block.items]
        elif block.kind == "picture":
            picture = block.picture
            images.append({
                "src": urljoin(url, picture.src),
                "alt": _text_or_none(picture.alt),
                "caption": _text_or_none(picture.caption),
                "after_paragraph": sum(1 for text in body if text),
            })
        elif block.kind == "documents":
            if model.style["attachment"] == "list":
                body.append(clean_text(block.label))
                body += [clean_text(d.text) for d in block.documents]
            else:
                body += [clean_text(block.label + d.text) for d in block.documents]
            attachments += [{"href": urljoin(url, d.href), "text": clean_text(d.text)} for d in block.documents]
    machine_date = model.style["date"] in MACHINE_DATE_STYLES
    return {
        "url": url,
        "node_id": model.node_id,
        "section": model.section_name if model.style["breadcrumb"] != "none" else None,
        "title": clean_text(model.title),
        "published_at": iso_datetime(model.published, seconds=machine_date),
        "published_text": date_line(model.published),
        "body": [text for text in body if text],
        "images": images,
        "credits": [
            {"name": clean_text(name), "roles": list(roles)}
            for line in model.credit_lines
            for name, roles in line.credits
        ],
        "credit_lines": [clean_text(line.text) for line in model.credit_lines],
        "attachments": attachments,
    }
