"""What a crawl has proved it covered, so the next one knows what is left.

Incremental crawling must not trust "the previous crawl finished": a crawl
that was killed, ran out of disk, or was started twice has gaps it cannot
know about. The archive therefore keeps the evidence itself:

- `article_links`: every article link seen on a listing page (site + path),
  numbered in the order first seen. A link whose article is not archived is
  owed, and every crawl asks for it until it is archived or fails for good.
- `sections.covered_through_link`: when a walk of a section's pager ended
  (its last page, or a page listing only links known when the previous walk
  ended), every link up to this number is known. The next incremental walk
  may stop at the first page whose links all lie at or below it; any page
  with a newer link means the walk goes on.
- media: every image and attachment of an archived article whose bytes are
  not stored (or whose file has gone) is owed the same way.
"""

from __future__ import annotations

from pathlib import Path

from ..clock import utc_now


class CrawlCoverage:
    """Mixed into Archive: article_links, section coverage, owed media."""

    def record_section(self, *, url: str, site: str, name: str | None) -> None:
        with self.transaction():
            self._insert("sections", {"url": url, "site": site, "name": name,
                                      "first_seen_at": utc_now()}, or_ignore=True)

    def record_listing(self, *, site: str, section_url: str, section: str | None,
                       links: list[tuple[str, str]], starts_walk: bool, ends_walk: bool,
                       crawl_run_id: int | None) -> None:
        """One listing page: its article links (path, url) and the walk's progress."""
        now = utc_now()
        with self.transaction():
            self.record_section(url=section_url, site=site, name=section)
            for path, url in links:
                self._insert("article_links", {
                    "site": site, "path": path, "url": url, "section_url": section_url,
                    "first_seen_at": now, "crawl_run_id": crawl_run_id,
                }, or_ignore=True)
            if starts_walk:
                self._update("sections", "url = ?", [section_url],
                             {"walk_started_at": now, "walk_run_id": crawl_run_id})
            if ends_walk:
                newest = self.db.execute("select max(id) from article_links where site = ?", [site]).fetchone()[0]
                self._update("sections", "url = ?", [section_url],
                             {"covered_through_link": newest, "covered_at": now})

    def section_coverage(self, site: str) -> dict[str, int]:
        """section URL → the newest link a completed walk of it vouches for."""
        return dict(self.db.execute(
            "select url, covered_through_link from sections where site = ? and covered_through_link is not null",
            [site]))

    def article_links(self, site: str) -> dict[str, tuple[int, str]]:
        """path → (link number, URL) of every article link seen on `site`'s listings."""
        return {path: (number, url) for number, path, url in self.db.execute(
            "select id, path, url from article_links where site = ?", [site])}

    def stored_media(self, media_dir: Path | None) -> set[str]:
        """URLs whose bytes are stored, checked on disk: a file that has gone is owed again."""
        rows = self.db.execute("select url, path from media where sha256 is not null")
        if media_dir is None:
            return {url for url, _ in rows}
        return {url for url, path in rows if path and (media_dir / path).is_file()}

    def article_media_urls(self, site: str) -> list[str]:
        """Every image and attachment URL of `site`'s archived articles."""
        return [url for (url,) in self.db.execute(
            """select src from images where article_id in (select id from articles where site = ?)
               union select href from attachments where article_id in (select id from articles where site = ?)""",
            [site, site]) if url]

    def failed_media_urls(self) -> list[str]:
        """Media that could not be fetched last time: a crawl tries them again."""
        return [r[0] for r in self.db.execute("select url from media where sha256 is null order by url")]
