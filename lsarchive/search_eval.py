"""Search evaluation: does a search put first what the researcher meant?

For every query of a list (by default QUERIES: multi-syllable Vietnamese
place names, offices and common terms of the portal, each typed with and
without diacritics), an article is *relevant* when the query's words stand
together, in order, in its title, body or captions:

- exactly as typed (tones and vowel marks included, case ignored) for a
  query typed with diacritics;
- once folded (no marks, đ as d) for a query typed without.

Words are runs of letters and digits, so punctuation between them does not
matter ("phòng cháy, chữa cháy" holds "phòng cháy chữa cháy"), as in FTS5
phrase queries. Scores, averaged over the queries that have relevant articles:

- precision: the share of the top k hits that are relevant, with
  k = min(10, number of relevant articles);
- recall: the share of the relevant articles that the search finds at all.

The relevant articles are found by reading every article, not through any
index: the evaluation does not trust what it evaluates.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from .normalize import fold

# Place names, offices and common terms of the portal (see PORTAL.md and the
# seed article), typed with diacritics; each is also evaluated without them.
QUERIES = [
    # places
    "Đồng Đăng", "Lạng Sơn", "Vĩnh Trại", "Chi Lăng", "Đông Kinh", "Hoàng Văn Thụ",
    "Tam Thanh", "Hoàng Đồng", "Mai Pha", "Quảng Lạc", "Kỳ Cùng", "Tả Phủ",
    "Hữu Nghị", "Tân Thanh", "Phai Loạn", "Giếng Vuông", "Hùng Vương", "Bắc Sơn",
    # offices and bodies
    "Phó Chủ tịch", "Chủ tịch UBND thành phố", "Bí thư Thành ủy", "Ban Tuyên giáo",
    "Công an thành phố", "Trung tâm Y tế", "Ban Chỉ huy Quân sự", "Phó Bí thư",
    "Chủ tịch HĐND", "Phòng Tư pháp", "Ủy ban Kiểm tra", "Ủy ban nhân dân", "Đảng ủy", "Đảng bộ",
    "cửa khẩu", "Trường Tiểu học", "Kỳ Lừa", "Trần Đăng Ninh",
    # common terms
    "thi đua", "khen thưởng", "an ninh trật tự", "đấu giá", "cải cách hành chính",
    "chuyển đổi số", "bảo vệ môi trường", "giảm nghèo bền vững", "phòng cháy chữa cháy",
    "an toàn thực phẩm", "nông thôn mới", "ngân sách nhà nước", "lễ hội", "hội nghị",
    "văn hóa", "đô thị", "quốc phòng", "tham nhũng",
    "giải phóng mặt bằng", "tuyển quân", "đường sắt", "đăng ký",
]

_WORD = re.compile(r"\w+")


def typed_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def is_accented(query: str) -> bool:
    return fold(query) != unicodedata.normalize("NFC", query).lower()


@dataclass
class QueryScore:
    query: str
    accented: bool
    relevant: int
    k: int
    precision: float
    recall: float
    top: list[int] = field(default_factory=list)


@dataclass
class Report:
    scores: list[QueryScore]

    def mean(self, accented: bool, attribute: str) -> float:
        values = [getattr(s, attribute) for s in self.scores if s.accented == accented and s.relevant]
        return sum(values) / len(values) if values else float("nan")

    def evaluated(self, accented: bool) -> int:
        return sum(1 for s in self.scores if s.accented == accented and s.relevant)


class RelevanceJudge:
    """Which articles hold a phrase: every article's fields as word strings, read once."""

    def __init__(self, conn: sqlite3.Connection):
        self.exact: dict[int, list[str]] = {}
        self.folded: dict[int, list[str]] = {}
        for article_id, title, body, captions in conn.execute(
                "select id, title, body, captions from articles"):
            fields = [" " + " ".join(typed_words(text)) + " " for text in (title, body, captions)]
            self.exact[article_id] = fields
            self.folded[article_id] = [fold(f) for f in fields]

    def relevant(self, query: str) -> set[int]:
        accented = is_accented(query)
        words = typed_words(query) if accented else [fold(w) for w in typed_words(query)]
        needle = " " + " ".join(words) + " "
        texts = self.exact if accented else self.folded
        return {article_id for article_id, fields in texts.items() if any(needle in f for f in fields)}


def unaccented(query: str) -> str:
    return fold(query)


def evaluate(conn: sqlite3.Connection, ranked: Callable[[str], list[int]],
             queries: list[str] | None = None) -> Report:
    """Score `ranked` (a query → every matching article id, best first)."""
    judge = RelevanceJudge(conn)
    scores = []
    for typed in queries or QUERIES:
        for query in dict.fromkeys([typed, unaccented(typed)]):
            relevant = judge.relevant(query)
            hits = ranked(query)
            k = min(10, len(relevant))
            precision = sum(1 for h in hits[:k] if h in relevant) / k if k else float("nan")
            recall = len(relevant & set(hits)) / len(relevant) if relevant else float("nan")
            scores.append(QueryScore(query, is_accented(query), len(relevant), k, precision, recall,
                                     hits[:k]))
    return Report(scores)


def library_ranking(conn: sqlite3.Connection) -> Callable[[str], list[int]]:
    """The ranking `lsarchive search` prints (every match, not only the first 20)."""
    from .store.search import ranked_ids

    return lambda query: [rowid for rowid, _ in ranked_ids(conn, query)]


def datasette_ranking(db_path: str) -> tuple[Callable[[str], list[int]], Callable[[], None]]:
    """The order of Datasette's `_search` JSON API on the articles table, page after page."""
    import asyncio

    from .datasette import make_datasette

    ds = make_datasette(db_path)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def ranked(query: str) -> list[int]:
        from urllib.parse import urlencode

        ids, path = [], "/archive/articles.json?" + urlencode(
            {"_search": query, "_col": "id", "_size": "max", "_nofacet": 1})
        while path:
            response = loop.run_until_complete(ds.client.get(path))
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
            data = response.json()
            ids += [row[0] for row in data["rows"]]
            path = data.get("next_url")
            if path:
                path = path.split("://", 1)[-1].split("/", 1)[-1]
                path = "/" + path
        return ids

    return ranked, loop.close


def format_report(report: Report, *, verbose: bool = False, label: str = "") -> str:
    lines = []
    if verbose:
        lines.append(f"{'query':<32} {'relevant':>8} {'k':>3} {'precision':>9} {'recall':>6}")
        for s in report.scores:
            if s.relevant:
                lines.append(f"{s.query:<32} {s.relevant:>8} {s.k:>3} {s.precision:>9.2f} {s.recall:>6.2f}")
            else:
                lines.append(f"{s.query:<32} {0:>8}   -         -      -  (no relevant article)")
        lines.append("")
    for accented, name in ((True, "with diacritics"), (False, "without diacritics")):
        lines.append(
            f"{label}{name}: precision@k {report.mean(accented, 'precision'):.3f}, "
            f"recall {report.mean(accented, 'recall'):.3f} "
            f"over {report.evaluated(accented)} queries with relevant articles")
    return "\n".join(lines)
