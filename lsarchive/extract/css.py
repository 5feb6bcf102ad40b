"""CSS selectors of the site profile, compiled once by lxml.

lxml.cssselect translates each selector group to one XPath expression that
libxml2 evaluates in C. The translator is the HTML one: tag and attribute
names are matched as HTML spells them (case-insensitive), as browsers do.
docs/performance.md has the measurement that chose lxml's selectors over a
hand-written matcher (the cost is a small share of a crawl).
"""

from __future__ import annotations

from functools import lru_cache

import cssselect
from lxml import etree
from lxml.cssselect import CSSSelector

_TRANSLATOR = cssselect.HTMLTranslator()


class Selector:
    """A compiled selector group: `select(root)` returns matches in document
    order, the root itself included (as lxml's CSSSelector does)."""

    def __init__(self, css: str):
        self.css = css
        self.select = CSSSelector(css, translator="html")
        groups = cssselect.parse(css)
        # A group without combinators is tested on the element alone (self::);
        # with combinators, whether it matches depends on its ancestors.
        self.self_test = None
        if all(not isinstance(s.parsed_tree, cssselect.parser.CombinedSelector) for s in groups):
            self.self_test = etree.XPath(" | ".join(_TRANSLATOR.selector_to_xpath(s, prefix="self::")
                                                    for s in groups))

    def __call__(self, root) -> list:
        return self.select(root)

    def first(self, root):
        found = self.select(root)
        return found[0] if found else None

    def matches(self, el, root=None) -> bool:
        """Whether `el` itself matches (ancestors looked up to `root`)."""
        if self.self_test is not None:
            return bool(self.self_test(el))
        scope = root if root is not None else el.getroottree().getroot()
        return any(found is el for found in self.select(scope))


@lru_cache(maxsize=None)
def compiled(css: str) -> Selector:
    return Selector(css)
