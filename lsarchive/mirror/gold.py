"""Gold pages from the mirror: for each theme, a few varied articles as
served (`NN-name.html`) with their truth record (`NN-name.json`, the format
of tests/gold and shared/realworld: page_url, origin, expect).

    python -m lsarchive.mirror gold tests/gold [--articles 240] [--seed 1] [--per-theme 6]

writes tests/gold/tpls/2012 (the city's old theme, the mirror as of
2018-06-30), tests/gold/sotttt/2014, tests/gold/caoloc/2016 and
tests/gold/drupal7/2009 (the /bqlkkt/ theme, which no profile names: the
generic Drupal 7 profile's gold). Articles are chosen greedily for the
markup kinds they add (caption, credit, structure, text encoding...), so a
set covers the theme's habits; the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, timedelta
from pathlib import Path

from .model import ArticleModel
from .pages import PORTAL_URL
from .site import MirrorSite

ORIGIN = PORTAL_URL.rsplit("/", 2)[0]  # http://www.langson.gov.vn
OLD_CITY_AS_OF = date(2018, 6, 30)
# (site, folder under the gold directory, as_of of the mirror)
THEMES = (
    ("tpls", "tpls/2012", OLD_CITY_AS_OF),
    ("sotttt", "sotttt/2014", None),
    ("caoloc", "caoloc/2016", None),
    ("bqlkkt", "drupal7/2009", None),
)
_RANKED_AXES = ("caption", "credit", "credit_style", "structure", "text", "attachment", "alt", "heading",
                "related", "feature")


def _interesting(model: ArticleModel) -> set[str]:
    return {kind for kind in model.kinds() if kind.split(":")[0] in _RANKED_AXES}


def choose(models: list[ArticleModel], count: int) -> list[ArticleModel]:
    """Greedy cover: each pick adds the most kinds not yet shown (earliest wins ties)."""
    chosen: list[ArticleModel] = []
    seen: set[str] = set()
    left = list(models)
    while left and len(chosen) < count:
        best = max(left, key=lambda m: (len(_interesting(m) - seen), len(m.pictures) > 0, -m.index))
        chosen.append(best)
        seen |= _interesting(best)
        left.remove(best)
    return sorted(chosen, key=lambda m: m.published)


def _name(model: ArticleModel) -> str:
    style = model.style
    caption = style["caption"] if model.pictures else "no-images"
    credit = style["credit"] if model.credit_lines else "no-credit"
    return re.sub(r"[^a-z0-9]+", "-", f"{caption}-{credit}-{style['structure']}".lower().replace("_", "-"))


def write_theme(root: Path, site: MirrorSite, name: str, folder: str, as_of: date | None, count: int,
                source: str) -> list[Path]:
    target = root / folder
    target.mkdir(parents=True, exist_ok=True)
    if name == "tpls":
        models = [site.model(n) for n in site.node_ids()]
    else:
        sibling = site.siblings[name]
        models = [sibling.model(i) for i in range(sibling.article_count)]
    written = []
    for number, model in enumerate(choose(models, count), start=1):
        page_path = f"/{name}/node/{model.node_id}"
        resource = site.resource(page_path)
        if resource.status != 200:
            raise RuntimeError(f"{page_path} answered {resource.status}")
        stem = target / f"{number:02d}-{_name(model)}"
        captured = (model.published + timedelta(days=1)).replace(hour=9, minute=0, second=0)
        record = {
            "page_url": ORIGIN + page_path,
            "origin": {
                "site": name,
                "captured_at": captured.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
                "source": source + (f" --as-of {as_of:%Y-%m-%d}" if as_of else ""),
            },
            "expect": site.truth(model.node_id, PORTAL_URL if name == "tpls" else ORIGIN, subsite=name),
        }
        stem.with_suffix(".html").write_bytes(resource.body)
        stem.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
        written.append(stem)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m lsarchive.mirror gold", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path, help="the gold directory, e.g. tests/gold")
    parser.add_argument("--articles", type=int, default=240, help="the city's articles [default: 240]")
    parser.add_argument("--seed", type=int, default=1, help="the mirror's seed [default: 1]")
    parser.add_argument("--per-theme", type=int, default=6, help="pages per theme [default: 6]")
    args = parser.parse_args(argv)
    for name, folder, as_of in THEMES:
        site = MirrorSite(args.articles, seed=args.seed, as_of=as_of, base_url=PORTAL_URL)
        source = f"lsarchive mirror --articles {args.articles} --seed {args.seed}"
        for stem in write_theme(args.directory, site, name, folder, as_of, args.per_theme, source):
            print(f"{stem}.html")
