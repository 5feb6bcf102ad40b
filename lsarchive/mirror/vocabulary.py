"""Vietnamese word lists and sentence templates for the mirror's articles.

The data is in data/vocabulary.json (names in capitals, as loaded here).
`content.py` fills the `{slots}` of these templates
from a seeded random generator, so every article is readable local-government
news of Lạng Sơn city and the same (seed, index) always gives the same text.

Rules the templates follow so that the generated pages stay unambiguous for
an extractor (see the realworld README's conventions):

- no sentence starts with a credit label (Tin, Ảnh, Bài, Nguồn, Theo...),
  so an ordinary last paragraph never looks like a credit line;
- captions are short one-line descriptions, never used as body text;
- titles are never used as body paragraphs except as the deliberate
  "title repeated at the top of the body" variation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _frozen(value: Any) -> Any:
    """JSON lists as tuples: the word lists are constants, shared by every article."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


_DATA = json.loads((Path(__file__).parent / "data" / "vocabulary.json").read_text(encoding="utf-8"))
# The sibling sub-sites' own topics, sections (keyed "site/section"), leaders'
# positions and place names; the city never draws from them.
_PROVINCE = json.loads((Path(__file__).parent / "data" / "province.json").read_text(encoding="utf-8"))
for _name in ("TOPICS", "SECTION_TOPICS", "POSITIONS"):
    _DATA[_name] = {**_DATA[_name], **_PROVINCE.pop(_name)}
_DATA.update(_PROVINCE)
globals().update({name: _frozen(value) for name, value in _DATA.items()})
__all__ = sorted(_DATA)
