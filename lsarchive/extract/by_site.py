"""Which of a site's profile versions reads a page (Fundus's dated parsers).

With a capture date, the version served on that day. A redesign's date is
known only roughly (the live portal's history is not documented), so when
that version's selectors do not read the page (a field fell back, or it
failed) and another version's do, the markup wins over the date. Without a
capture date (a page saved by hand, a WARC record without a date), the
versions are tried newest first and the first that reads the page with its
own selectors (no field fell back) wins; when every version needed
fallbacks, the version that was current on the publication date they
extracted.
"""

from __future__ import annotations

from datetime import date, datetime

from ..profiles import Site
from ..record import Article, ExtractionError
from .article import extract_article


def extract_for_site(html: str | bytes, url: str, site: Site, *,
                     captured_at: date | datetime | str | None = None,
                     content_type: str | None = None) -> Article:
    """The article record of a page of `site`, read by the right profile version.

    Raises what extract_article raises; without a capture date, the error of
    the newest version when no version reads the page.
    """
    if captured_at:
        dated = site.profile_at(captured_at)
        try:
            article = extract_article(html, url, dated, content_type=content_type)
            if not article.extraction["fallbacks"]:
                return article
        except ExtractionError as exc:
            article, error = None, exc
        for profile in reversed(site.versions):
            if profile is dated:
                continue
            try:
                other = extract_article(html, url, profile, content_type=content_type)
            except ExtractionError:
                continue
            if not other.extraction["fallbacks"]:
                return other  # the page is in this version's markup, whatever its date says
        if article is None:
            raise error
        return article
    if len(site.versions) == 1:
        return extract_article(html, url, site.current, content_type=content_type)
    results: dict[str, Article] = {}
    first_error: ExtractionError | None = None
    for profile in reversed(site.versions):
        try:
            article = extract_article(html, url, profile, content_type=content_type)
        except ExtractionError as exc:
            first_error = first_error or exc
            continue
        if not article.extraction["fallbacks"]:
            return article
        results[profile.version] = article
    if not results:
        raise first_error
    newest = next(iter(results.values()))
    at_publication = site.profile_at(newest.published_at).version
    return results.get(at_publication, newest)
