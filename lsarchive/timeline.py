"""The archive's timeline: articles published per month, as data and as a PNG.

The counts come from SQL alone; drawing needs matplotlib, an optional extra
(`pip install 'lsarchive[plot]'`): it writes a PNG headlessly, with labelled
axes, and nothing else in the project needs it. (A Datasette visualisation
plugin such as datasette-vega draws in the reader's browser and cannot write
a file from the command line.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed."""


def articles_per_month(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(YYYY-MM, count) for every month from the first article to the last.

    Months without articles are included with 0: a gap in the archive (or on
    the portal) must show as a gap, not be squeezed out of the time axis.
    """
    counted = dict(conn.execute(
        "select month, count(*) from articles where month is not null group by month"
    ).fetchall())
    if not counted:
        return []
    return [(month, counted.get(month, 0)) for month in _months(min(counted), max(counted))]


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def plot_timeline(conn: sqlite3.Connection, path: str | Path, *, title: str | None = None) -> int:
    """Write a bar chart of articles per month to `path` (PNG); return the months drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: write files only
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotUnavailable("plotting needs matplotlib: pip install 'lsarchive[plot]'") from None

    series = articles_per_month(conn)
    if not series:
        raise ValueError("the archive has no articles to plot")
    fig, ax = plt.subplots(figsize=(max(8, min(14, len(series) * 0.12)), 4.5), dpi=100)
    try:
        months = [m for m, _ in series]
        ax.bar(range(len(series)), [n for _, n in series], color="#2a6f97", width=0.85)
        _label_months(ax, months)
        total = sum(n for _, n in series)
        ax.set_title(title or f"Articles per month ({total:,} articles, {months[0]} to {months[-1]})")
        ax.set_ylabel("articles")
        ax.spines[["top", "right"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return len(series)


def _label_months(ax, months: list[str]) -> None:
    """Every month on a short timeline; on a long one, each January as its year."""
    if len(months) <= 18:
        ax.set_xticks(range(len(months)))
        ax.set_xticklabels(months, rotation=45, ha="right")
    else:  # 19 months or more always hold a January
        januaries = [n for n, month in enumerate(months) if month.endswith("-01")]
        ax.set_xticks(januaries)
        ax.set_xticklabels([months[n][:4] for n in januaries])
    ax.set_xlim(-0.6, len(months) - 0.4)
