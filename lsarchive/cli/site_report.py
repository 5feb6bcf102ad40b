"""`lsarchive check`'s report as text (the --json report, read by a person)."""

from __future__ import annotations

import json

SHOWN_LINKS = 8


def format_check(report: dict) -> str:
    article, listing, robots = report["article"], report["listing"], report["robots"]
    kind = "own profile" if report["registered"] else "generic Drupal 7 profile"
    lines = [
        f"site     {report['site']} ({kind}) at {report['base_url']}",
        f"profile  {report['profile']} version {report['profile_version']}",
        "",
        f"article  {article['url']}",
        *_selector_lines(article["selectors"]),
    ]
    if article["record"] is not None:
        lines.append("  record")
        lines += [f"    {name:<15}{_short(value)}" for name, value in article["record"].items()]
    else:
        lines.append(f"  no record: {article['error']}")
    lines.append(f"  fell back: {', '.join(article['fallbacks']) or 'nothing (every field by the profile)'}")
    lines.append(f"  not extracted: {', '.join(article['missing']) or 'nothing'}")
    lines += ["", f"listing  {listing['url']}", *_selector_lines(listing["selectors"])]
    lines.append(f"  teasers: {len(listing['teasers'])}")
    lines += [f"    {url}" for url in listing["teasers"][:SHOWN_LINKS]]
    lines.append(f"  sections (menu links inside the site): {len(listing['sections'])}")
    lines += [f"    {text or '(no text)'}  {url}" for text, url in listing["sections"][:SHOWN_LINKS * 2]]
    if listing["known_sections_missing"]:
        lines.append(f"  sections the profile names but the menu lacks: {', '.join(listing['known_sections_missing'])}")
    lines.append(f"  pager: next {listing['pager_next'] or '—'}, last {listing['pager_last'] or '—'}")
    lines += ["", f"robots   {robots['url']}" + ("" if robots["found"] else " (none: everything allowed)")]
    delay = robots["crawl_delay"]
    lines.append(f"  Crawl-delay: {delay:g} s" if delay is not None else "  Crawl-delay: none given")
    lines.append(f"  rules for {robots['site_path']}:" + ("" if robots["rules"] else " none"))
    lines += [f"    {rule}" for rule in robots["rules"]]
    lines += [f"  {'allowed' if ok else 'FORBIDDEN'}: {url}" for url, ok in robots["allowed"].items()]
    return "\n".join(lines)


def _selector_lines(selectors: list[dict]) -> list[str]:
    lines = []
    for match in selectors:
        if match["matched"] is None:
            lines.append(f"  {match['name']:<24} no match   (tried {' | '.join(match['selectors'])})")
        else:
            lines.append(f"  {match['name']:<24} {match['count']:>3} × {match['matched']}")
    return lines


def _short(value, limit: int = 100) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)}: " + _short(value[0], limit - 4)
        return f"{len(value)}: " + _short(value[0], limit - 4) if value else "[]"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
