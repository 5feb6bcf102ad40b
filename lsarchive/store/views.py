"""SQL views for research: the archive's tables joined the way researchers ask.

They are plain SQLite views, so sqlite3, sqlite-utils, pandas and Datasette
all see them. `create_views` is idempotent: a view is recreated only when its
SQL changed, so opening an archive made by an older version updates them.
"""

from __future__ import annotations

import sqlite_utils

VIEWS: dict[str, str] = {
    # One row per article, with what a spreadsheet would want as columns.
    "article_overview": """
        select
            a.id,
            a.year,
            a.month,
            substr(a.published_at, 1, 10) as date,
            a.section,
            a.title,
            a.url,
            (
                select group_concat(name, '; ')
                from (select c.name from credits c where c.article_id = a.id order by c.position)
            ) as credited,
            a.image_count,
            a.paragraph_count,
            a.revision
        from articles a
    """,
    # One row per credited name (reporter, photographer, newsroom...).
    "credits_by_person": """
        select
            c.name,
            count(distinct c.article_id) as article_count,
            (
                select group_concat(role, ', ')
                from (
                    select distinct r.value as role
                    from credits c2, json_each(c2.roles) r
                    where c2.name = c.name
                    order by r.value
                )
            ) as roles,
            min(substr(a.published_at, 1, 10)) as first_date,
            max(substr(a.published_at, 1, 10)) as last_date
        from credits c
        join articles a on a.id = c.article_id
        group by c.name
    """,
    # One row per image that has a caption, with its article.
    "captions": """
        select
            i.article_id,
            i.position,
            i.caption,
            a.title,
            substr(a.published_at, 1, 10) as date,
            a.url,
            i.src
        from images i
        join articles a on a.id = i.article_id
        where i.caption is not null and i.caption != ''
    """,
}

# What is known of the site against what is archived (lsarchive coverage says
# the same, and also counts pages only a web archive's CDX server lists).
COVERAGE_VIEWS: dict[str, str] = {
    # Article links seen on listings (crawled or captured) whose article is
    # archived nowhere with its text: what is lost, to look for elsewhere.
    "missing_articles": """
        select l.url, s.name as section, l.first_seen_at
        from article_links l
        left join sections s on s.url = l.section_url
        where l.url not in (select url from articles)
          and l.url not in (select url from pages where article_id is not null)
    """,
    # Per section and year: articles known (archived, or linked and missing) and archived.
    "coverage_by_section_year": """
        select section, year, count(*) as known, sum(archived) as archived, sum(1 - archived) as missing
        from (
            select section, year, 1 as archived from articles
            union all
            select section, null, 0 from missing_articles
        )
        group by section, year
    """,
}


def create_views(db: sqlite_utils.Database) -> None:
    """Create (or update) the research views of the archive."""
    for name, sql in {**VIEWS, **COVERAGE_VIEWS}.items():
        db.create_view(name, _tidy(sql), replace=True)


def _tidy(sql: str) -> str:
    # Stored in sqlite_master as written: keep it readable for `.schema`.
    lines = [line[8:] if line.startswith(" " * 8) else line for line in sql.strip("\n").splitlines()]
    return "\n".join(lines).strip()
