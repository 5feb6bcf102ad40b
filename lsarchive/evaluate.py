"""Scoring the extractor on pages with expected records (the realworld format).

A directory holds `NN-name.html` + `NN-name.json`, the JSON being
`{"page_url": ..., "origin": {...}, "expect": {CONTRACT fields}}`.
`evaluate()` extracts every page and scores each field:

- title, date (published_at), url, node_id, section, published_text:
  share of pages with the exact value;
- body: per page, precision and recall of exact (normalised) paragraphs
  as a multiset, F1; the report gives the mean F1 over pages;
- captions: share of expected images whose caption is right (images are
  matched by src, in order);
- images: share of pages whose list of image srcs is exactly right;
- credit names: F1 of the credited names over all pages (micro average);
  credits with roles: the same with (name, roles) pairs;
- attachments: share of pages with exactly the expected attachments;
- failures: pages where extraction raised.

Side by side on the same pages, trafilatura (an optional dependency,
imported only here) gets the same body F1, its output split into
paragraphs at line breaks and normalised like ours; both tools are timed
several times per page, alternating, and the medians are compared.

    lsarchive evaluate tests/gold ../shared/realworld [--verbose] [--no-trafilatura]
    lsarchive evaluate --site tpls [--version 2019]

Each page is read with the profile the registry picks from its URL and, when
its JSON gives `origin.captured_at`, its capture date; a site's gold pages
(tests/gold/<site>/<version>/) are read with their directory's version.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .extract import extract_article
from .profiles import GENERIC, REGISTERED, Site, SiteProfile, profile_for, site_for_url
from .normalize import clean_text
from .record import ExtractionError

EXACT_FIELDS = ("title", "published_at", "url", "node_id", "section", "published_text")
FIELD_LABELS = {
    "title": "title", "published_at": "date (published_at)", "url": "url", "node_id": "node_id",
    "section": "section", "published_text": "published_text", "body": "body paragraph F1 (mean)",
    "captions": "captions (per image)", "images": "images (src lists exact)",
    "credit_names": "credit names F1", "credits": "credits with roles F1", "attachments": "attachments exact",
}


@dataclass
class Mismatch:
    field: str
    expected: object
    got: object


@dataclass
class PageResult:
    name: str
    error: str | None = None
    body_f1: float = 0.0
    captions_right: int = 0
    images_expected: int = 0
    exact: dict[str, bool] = field(default_factory=dict)
    names: tuple[int, int, int] = (0, 0, 0)          # true positives, extracted, expected
    credits: tuple[int, int, int] = (0, 0, 0)
    mismatches: list[Mismatch] = field(default_factory=list)
    our_seconds: float = 0.0
    trafilatura_f1: float | None = None
    trafilatura_seconds: float | None = None


@dataclass
class Report:
    pages: list[PageResult]
    fields: dict[str, float]
    failures: int
    our_median_seconds: float
    trafilatura_f1: float | None = None
    trafilatura_median_seconds: float | None = None
    trafilatura_note: str = ""

    @property
    def speedup(self) -> float | None:
        """How many times faster than trafilatura (median per page)."""
        if not self.trafilatura_median_seconds or not self.our_median_seconds:
            return None
        return self.trafilatura_median_seconds / self.our_median_seconds


# scoring -------------------------------------------------------------------------------

def paragraph_f1(expected: list[str], got: list[str]) -> float:
    """F1 of exact paragraphs, as multisets (a paragraph found twice counts twice)."""
    if not expected and not got:
        return 1.0
    common = sum((Counter(expected) & Counter(got)).values())
    if not common:
        return 0.0
    precision, recall = common / len(got), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def _overlap(expected: list, got: list) -> tuple[int, int, int]:
    common = sum((Counter(expected) & Counter(got)).values())
    return common, len(got), len(expected)


def _micro_f1(counts: list[tuple[int, int, int]]) -> float:
    common = sum(c for c, _, _ in counts)
    extracted = sum(g for _, g, _ in counts)
    expected = sum(e for _, _, e in counts)
    if not extracted and not expected:
        return 1.0
    if not common:
        return 0.0
    precision, recall = common / extracted, common / expected
    return 2 * precision * recall / (precision + recall)


def _captions_right(expected: list[dict], got: list[dict]) -> int:
    """Expected images whose caption is right, images matched by src in order."""
    remaining: dict[str, list] = {}
    for image in got:
        remaining.setdefault(image.get("src"), []).append(image.get("caption"))
    right = 0
    for image in expected:
        captions = remaining.get(image.get("src"))
        if captions and captions.pop(0) == image.get("caption"):
            right += 1
    return right


def score_page(name: str, expected: dict, got: dict) -> PageResult:
    """Compare one extracted record with its expected record."""
    result = PageResult(name=name)
    for key in EXACT_FIELDS:
        result.exact[key] = got.get(key) == expected.get(key)
        if not result.exact[key]:
            result.mismatches.append(Mismatch(key, expected.get(key), got.get(key)))
    result.body_f1 = paragraph_f1(expected.get("body", []), got.get("body", []))
    if result.body_f1 < 1.0:
        missing = list((Counter(expected.get("body", [])) - Counter(got.get("body", []))).elements())
        extra = list((Counter(got.get("body", [])) - Counter(expected.get("body", []))).elements())
        result.mismatches.append(Mismatch("body", missing, extra))
    expected_images, got_images = expected.get("images", []), got.get("images", [])
    result.images_expected = len(expected_images)
    result.captions_right = _captions_right(expected_images, got_images)
    if result.captions_right < len(expected_images):
        result.mismatches.append(Mismatch("captions", [i.get("caption") for i in expected_images],
                                          [i.get("caption") for i in got_images]))
    result.exact["images"] = [i.get("src") for i in expected_images] == [i.get("src") for i in got_images]
    if not result.exact["images"]:
        result.mismatches.append(Mismatch("images", [i.get("src") for i in expected_images],
                                          [i.get("src") for i in got_images]))
    expected_credits, got_credits = expected.get("credits", []), got.get("credits", [])
    result.names = _overlap([c["name"] for c in expected_credits], [c["name"] for c in got_credits])
    result.credits = _overlap([(c["name"], tuple(c["roles"])) for c in expected_credits],
                              [(c["name"], tuple(c["roles"])) for c in got_credits])
    if result.credits[0] < max(len(expected_credits), len(got_credits)):
        result.mismatches.append(Mismatch("credits", expected_credits, got_credits))
    result.exact["attachments"] = expected.get("attachments", []) == got.get("attachments", [])
    if not result.exact["attachments"]:
        result.mismatches.append(Mismatch("attachments", expected.get("attachments"), got.get("attachments")))
    return result


# running -------------------------------------------------------------------------------

def load_pages(dirs: list[Path]) -> list[tuple[str, bytes, dict]]:
    """(name, html bytes, {"page_url", "expect"}) of every page with a record."""
    pages = []
    for directory in dirs:
        for record_path in sorted(Path(directory).rglob("*.json")):
            html_path = record_path.with_suffix(".html")
            if not html_path.exists():
                continue
            record = json.loads(record_path.read_text(encoding="utf-8"))
            if "expect" not in record or "page_url" not in record:
                continue
            name = record_path.relative_to(directory).with_suffix("").as_posix()
            pages.append((f"{Path(directory).name}/{name}", html_path.read_bytes(), record))
    return pages


def _load_trafilatura():
    try:
        import trafilatura  # noqa: PLC0415 - optional yardstick, imported only when asked for
    except ImportError:
        return None
    return trafilatura


def trafilatura_paragraphs(trafilatura, html: bytes, url: str) -> list[str]:
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
    return [p for p in (clean_text(line) for line in text.split("\n")) if p]


def _timed(function, *args):
    start = time.perf_counter()
    try:
        value = function(*args)
    except Exception as error:  # noqa: BLE001 - a failure is a result here
        value = error
    return value, time.perf_counter() - start


def gold_root() -> Path:
    """tests/gold/ of the project this package runs from (a source checkout)."""
    return Path(__file__).resolve().parents[1] / "tests" / "gold"


def evaluated_site(name: str) -> Site:
    """A registered site, or the generic Drupal 7 profile by its name."""
    if name == GENERIC.name:
        return GENERIC
    if name not in REGISTERED:
        raise KeyError(f"unknown site {name!r} (known: {', '.join([*REGISTERED, GENERIC.name])})")
    return REGISTERED[name]


def version_dirs(site: Site, version: str | None = None, dirs: list[Path] | None = None) -> list[tuple[SiteProfile, Path]]:
    """(profile version, its gold directory) to evaluate: tests/gold/<site>/<version>/
    by default; given `dirs`, each is a version's directory (named by the
    version) or a site's directory holding them. Raises KeyError naming an
    unknown version, FileNotFoundError naming a missing directory."""
    wanted = [site.version(version)] if version else list(site.versions)
    names = {profile.version for profile in wanted}
    if not dirs:
        found = [(profile, gold_root() / site.name / profile.version) for profile in wanted]
    else:
        found = []
        for directory in map(Path, dirs):
            if directory.name in names:
                found.append((site.version(directory.name), directory))
            else:
                found += [(p, directory / p.version) for p in wanted if (directory / p.version).is_dir()]
        if not found:
            raise FileNotFoundError(f"none of {', '.join(map(str, dirs))} is a directory of "
                                    f"{site.name} version {' or '.join(sorted(names))}")
    for profile, directory in found:
        if not directory.is_dir():
            raise FileNotFoundError(f"no gold pages for {site.name} version {profile.version}: "
                                    f"{directory} does not exist (see docs/adding-a-site.md)")
    return found


def page_profile(record: dict, version: SiteProfile | None = None) -> SiteProfile | None:
    """The profile that reads a gold page: the given version (based where the
    page's site lives), else the registry's pick by URL and capture date."""
    url = record["page_url"]
    if version is None:
        return profile_for(url, (record.get("origin") or {}).get("captured_at"))
    site = site_for_url(url)
    return version.with_base_url(site.base_url) if site is not None else version


def evaluate(dirs: list[Path], compare_trafilatura: bool = True, repeats: int = 5,
             profile: SiteProfile | None = None) -> Report:
    """Score the extractor (and trafilatura's body text) on every page of `dirs`.

    Timing: `repeats` rounds; in each round each tool runs over all pages,
    the tools taking turns to go first (so neither always meets a cold or a
    warm machine); a page's time is its median over the rounds.
    """
    trafilatura = _load_trafilatura() if compare_trafilatura else None
    note = ""
    if compare_trafilatura and trafilatura is None:
        note = "trafilatura is not installed: comparison skipped (pip install lsarchive[evaluate])"
    elif not compare_trafilatura:
        note = "comparison with trafilatura not asked for"
    pages = load_pages(dirs)
    profiles = [page_profile(record, profile) for _, _, record in pages]
    tools = {"ours": lambda html, url, index: extract_article(html, url, profiles[index])}
    if trafilatura is not None:
        tools["trafilatura"] = lambda html, url, index: trafilatura_paragraphs(trafilatura, html, url)
    outputs: dict[str, list] = {tool: [None] * len(pages) for tool in tools}
    times: dict[str, list[list[float]]] = {tool: [[] for _ in pages] for tool in tools}
    order = list(tools)
    for round_number in range(max(1, repeats)):
        for tool in order[round_number % len(order):] + order[: round_number % len(order)]:
            function = tools[tool]
            for index, (_, html, record) in enumerate(pages):
                value, seconds = _timed(function, html, record["page_url"], index)
                times[tool][index].append(seconds)
                if round_number == 0:
                    outputs[tool][index] = value
    results = []
    for index, (name, _, record) in enumerate(pages):
        result = _score(name, record["expect"], outputs["ours"][index])
        result.our_seconds = statistics.median(times["ours"][index])
        if trafilatura is not None:
            result.trafilatura_seconds = statistics.median(times["trafilatura"][index])
            body = outputs["trafilatura"][index]
            result.trafilatura_f1 = paragraph_f1(record["expect"].get("body", []),
                                                 body if isinstance(body, list) else [])
        results.append(result)
    return _summarise(results, note)


def _score(name: str, expected: dict, ours) -> PageResult:
    if isinstance(ours, Exception):
        stage = f" (stage {ours.stage})" if isinstance(ours, ExtractionError) else ""
        result = PageResult(name=name, error=f"{type(ours).__name__}: {ours}{stage}")
        result.images_expected = len(expected.get("images", []))
        result.names = result.credits = (0, 0, len(expected.get("credits", [])))
        return result
    return score_page(name, expected, ours.to_dict())


def _summarise(results: list[PageResult], note: str) -> Report:
    count = len(results) or 1
    fields = {key: sum(r.exact.get(key, False) for r in results) / count for key in EXACT_FIELDS}
    fields["body"] = sum(r.body_f1 for r in results) / count
    images = sum(r.images_expected for r in results)
    fields["captions"] = sum(r.captions_right for r in results) / images if images else 1.0
    fields["images"] = sum(r.exact.get("images", False) for r in results) / count
    fields["credit_names"] = _micro_f1([r.names for r in results])
    fields["credits"] = _micro_f1([r.credits for r in results])
    fields["attachments"] = sum(r.exact.get("attachments", False) for r in results) / count
    traf = [r for r in results if r.trafilatura_f1 is not None]
    return Report(
        pages=results,
        fields=fields,
        failures=sum(1 for r in results if r.error),
        our_median_seconds=statistics.median([r.our_seconds for r in results]) if results else 0.0,
        trafilatura_f1=sum(r.trafilatura_f1 for r in traf) / len(traf) if traf else None,
        trafilatura_median_seconds=statistics.median([r.trafilatura_seconds for r in traf]) if traf else None,
        trafilatura_note=note,
    )


# output --------------------------------------------------------------------------------

def format_report(report: Report, verbose: bool = False) -> str:
    """The scores as text; with `verbose`, every page's mismatches too."""
    lines = [f"pages: {len(report.pages)}   failures: {report.failures}", ""]
    for key, label in FIELD_LABELS.items():
        lines.append(f"  {label:<28} {report.fields[key]:7.1%}")
    lines.append("")
    lines.append(f"  {'median time per page':<28} {report.our_median_seconds * 1000:8.3f} ms (lsarchive)")
    if report.trafilatura_f1 is not None:
        lines.append(f"  {'':<28} {report.trafilatura_median_seconds * 1000:8.3f} ms (trafilatura)")
        lines.append(f"  {'speed-up':<28} {report.speedup:8.1f} x")
        lines.append(f"  {'body F1 lsarchive/trafilatura':<28} {report.fields['body']:.3f} / {report.trafilatura_f1:.3f}")
    if report.trafilatura_note:
        lines.append(f"  ({report.trafilatura_note})")
    if verbose:
        lines.append("")
        for page in report.pages:
            if page.error:
                lines.append(f"{page.name}: FAILED {page.error}")
            for mismatch in page.mismatches:
                lines.append(f"{page.name}: {mismatch.field}: expected {_short(mismatch.expected)} got {_short(mismatch.got)}")
    return "\n".join(lines)


def _short(value, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
