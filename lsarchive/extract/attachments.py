"""Links in the body to documents (pdf, doc, docx, xls, xlsx, ppt, pptx, zip, rar).

The body reader notes every `<a href>` whose path (query and fragment
ignored) ends with one of the profile's extensions; here they become the
record's attachments, one per document, with the most telling link text.
"""

from __future__ import annotations

from ..record import Attachment


def attachments_of(links: list[tuple[str, str, str]]) -> list[Attachment]:
    """One attachment per href, in order of first appearance.

    A document linked twice (an icon, then its title) takes the first
    non-empty link text; a link without any text is named by its title
    attribute or file name.
    """
    texts: dict[str, str] = {}
    fallbacks: dict[str, str] = {}
    for href, text, fallback in links:
        if not texts.get(href):
            texts[href] = text
        fallbacks.setdefault(href, fallback)
    return [Attachment(href=href, text=text or fallbacks[href]) for href, text in texts.items()]
