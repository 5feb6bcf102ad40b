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
from ..record import Article, ExtractionError, NotAnArticle
from .article import extract_article


def extract_for_site(html: str | bytes, url: str, site: Site, *,
                     captured_at: date | datetime | str | None = None,
                     content_type: str | None = None) -> Article:
    """The article record of a page of `site`, read by the right profile version.

    Raises what extract_article raises: a version's own verdict that the page
    is a listing, an error or a search page at once (a version that knows the
    markup has spoken, whatever another makes of it by fallbacks); otherwise
    the error of the first version tried when no version reads the page.
    """
    dated = site.profile_at(captured_at) if captured_at else None
    order = [dated] if dated else []
    order += [profile for profile in reversed(site.versions) if profile is not dated]
    first_error: ExtractionError | None = None
    fell_back: list[Article] = []
    for profile in order:
        try:
            article = extract_article(html, url, profile, content_type=content_type)
        except ExtractionError as exc:
            if _says_what_the_page_is(exc):
                raise
            first_error = first_error or exc
            continue
        if not article.extraction["fallbacks"]:
            return article  # the page is in this version's markup, whatever its date says
        fell_back.append(article)
    if not fell_back:
        raise first_error
    if dated is not None and fell_back[0].extraction["profile_version"] == dated.version:
        return fell_back[0]
    # No date, or the dated version could not read it: the version that was
    # current when the article was published.
    at_publication = site.profile_at(fell_back[0].published_at).version
    return next((a for a in fell_back if a.extraction["profile_version"] == at_publication), fell_back[0])


def _says_what_the_page_is(error: ExtractionError) -> bool:
    return isinstance(error, NotAnArticle) and str(error).startswith(("listing page", "error page", "search page"))
