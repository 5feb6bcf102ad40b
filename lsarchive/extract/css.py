"""CSS selectors of the site profile, matched in Python over lxml trees.

Why not lxml.cssselect? It translates to XPath, and libxml2 evaluates
attribute predicates such as `contains(concat(' ', normalize-space(@class),
' '), ' x ')` slowly (about 0.3 µs per element tested): a few whole-page
queries cost more than the rest of the metadata. Here the rightmost tag
name filters candidates in C (`iter(tag)`), and the remaining tests are
plain string checks. The selectors a site profile needs are simple
(`tag`, `.class`, `#id`, `[attr]`, `[attr=v]`, `[attr~=v]`, `^= $= *= |=`,
descendant and child combinators, selector groups); anything else falls
back to lxml's CSSSelector, so every valid selector still works.
"""

from __future__ import annotations

from functools import lru_cache

import cssselect
from lxml import etree
from lxml.cssselect import CSSSelector


class _Compound:
    """One compound selector (`div.a#b[c]`): a tag and attribute tests,
    compiled into one small Python function (`matches`) so that testing an
    element costs a few attribute reads, not a loop over test tuples."""

    __slots__ = ("tag", "tests", "matches", "id")

    def __init__(self, tag: str | None, tests: list):
        self.tag = tag
        self.tests = tests
        self.matches = _compile_matcher(tag, tests)
        self.id = next((value for name, operator, value in tests if name == "id" and operator == "="), None)


def _compile_matcher(tag: str | None, tests: list):
    lines = ["def matches(el):"]
    if tag is not None:
        lines.append(f"    if el.tag != {tag!r}: return False")
    for index, (name, operator, value) in enumerate(tests):
        var = f"v{index}"
        lines.append(f"    {var} = el.get({name!r})")
        lines.append(f"    if {var} is None: return False")
        if operator == "=":
            lines.append(f"    if {var} != {value!r}: return False")
        elif operator == "~=":  # substring first: cheap, and rules out nearly everything
            lines.append(f"    if {value!r} not in {var} or {value!r} not in {var}.split(): return False")
        elif operator == "^=":
            lines.append(f"    if not {value!r} or not {var}.startswith({value!r}): return False")
        elif operator == "$=":
            lines.append(f"    if not {value!r} or not {var}.endswith({value!r}): return False")
        elif operator == "*=":
            lines.append(f"    if not {value!r} or {value!r} not in {var}: return False")
        elif operator == "|=":
            lines.append(f"    if {var} != {value!r} and not {var}.startswith({value + '-'!r}): return False")
    lines.append("    return True")
    namespace: dict = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - source built from repr() of parsed selector values
    return namespace["matches"]


class _Complex:
    """Compounds joined by descendant (' ') or child ('>') combinators,
    evaluated left to right: the first compound is usually the rare one
    (`div.breadcrumb a`: one div, then its links)."""

    __slots__ = ("parts", "combinators", "fast")

    def __init__(self, parts: list[_Compound], combinators: list[str]):
        self.parts = parts              # left to right
        self.combinators = combinators  # between parts
        self.fast = _fast_select(parts, combinators)

    def select(self, root) -> list:
        first = self.parts[0]
        if first.id is not None:  # libxml2 indexes ids: a lookup, not a scan
            current = [el for el in _BY_ID(root, id=first.id) if first.matches(el) and _within(el, root)]
        else:
            current = [el for el in _iter(root, first.tag) if first.matches(el)]
        for combinator, part in zip(self.combinators, self.parts[1:]):
            if not current:
                break
            found, seen = [], set()
            for context in current:
                if combinator == ">":
                    candidates = [c for c in context if isinstance(c.tag, str)]
                else:
                    candidates = context.iterdescendants(part.tag) if part.tag else \
                        context.iterdescendants(etree.Element)
                for el in candidates:
                    if el not in seen and part.matches(el):
                        seen.add(el)
                        found.append(el)
            current = found
        return current


def _fast_select(parts: list[_Compound], combinators: list[str]):
    """A plain function doing what _Complex.select does, for the shapes site
    profiles use (one compound; two joined by a descendant combinator), with
    no per-call set-up; None for other shapes."""
    first = parts[0]
    if len(parts) == 1:
        return _compound_select(first)
    if len(parts) != 2 or combinators[0] != " ":
        return None
    contexts_of = _compound_select(first)
    part = parts[1]
    tag, matches = part.tag, part.matches

    def select(root):
        contexts = contexts_of(root)
        if not contexts:
            return contexts
        if len(contexts) == 1:  # one context: its descendants come once, in order
            candidates = contexts[0].iterdescendants(tag) if tag else contexts[0].iterdescendants(etree.Element)
            return [el for el in candidates if matches(el)]
        found, seen = [], set()
        for context in contexts:
            candidates = context.iterdescendants(tag) if tag else context.iterdescendants(etree.Element)
            for el in candidates:
                if el not in seen and matches(el):
                    seen.add(el)
                    found.append(el)
        return found

    return select


def _compound_select(part: _Compound):
    """The elements under (and including) the root that match one compound, in document order."""
    matches = part.matches
    if part.id is not None:  # libxml2 indexes ids: a lookup, not a scan
        by_id, value = _BY_ID, part.id
        return lambda root: [el for el in by_id(root, id=value) if matches(el) and _within(el, root)]
    if part.tag is not None:
        tag = part.tag
        return lambda root: [el for el in root.iter(tag) if matches(el)]
    return lambda root: [el for el in root.iter(etree.Element) if matches(el)]


def _iter(root, tag: str | None):
    return root.iter(tag) if tag else root.iter(etree.Element)


_BY_ID = etree.XPath("id($id)")


def _within(el, root) -> bool:
    """Whether `el` is `root` or inside it."""
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


class Selector:
    """A compiled selector group: `select(root)` returns matches in document
    order, the root itself included (like lxml's CSSSelector)."""

    def __init__(self, css: str):
        self.css = css
        self.fallback = None
        try:
            self.members = [_compile(selector) for selector in cssselect.parse(css)]
        except (_Unsupported, cssselect.SelectorError):
            self.members = []
            self.fallback = CSSSelector(css)
        self.simple = all(len(m.parts) == 1 for m in self.members)
        # For groups of simple selectors: the matchers to try, by tag name.
        generic = [m.parts[0].matches for m in self.members if m.parts[0].tag is None]
        self.tags = {m.parts[0].tag for m in self.members}
        self.by_tag = {tag: [m.parts[0].matches for m in self.members if m.parts[0].tag in (tag, None)]
                       for tag in self.tags if tag is not None}
        self.generic = generic
        # One matcher per tag name (the members' tests joined by `or`).
        self.any_by_tag = {tag: _any(matchers) for tag, matchers in self.by_tag.items()}
        self.any_generic = _any(generic)
        if self.fallback is None and len(self.members) == 1 and self.members[0].fast is not None:
            self.select = self.members[0].fast  # an instance attribute: no dispatch per call

    def __call__(self, root) -> list:
        return self.select(root)

    def select(self, root) -> list:
        if self.fallback is not None:
            return self.fallback(root)
        members = self.members
        if len(members) == 1:
            return members[0].select(root)
        if self.simple:  # one pass, tests in document order
            by_tag, generic = self.any_by_tag, self.any_generic
            return [el for el in self._candidates(root) if by_tag.get(el.tag, generic)(el)]
        results = [found for found in (m.select(root) for m in members) if found]
        if len(results) <= 1:
            return results[0] if results else []
        position = {el: i for i, el in enumerate(root.iter())}
        return sorted({el for found in results for el in found}, key=position.__getitem__)

    def first(self, root):
        found = self.select(root)
        return found[0] if found else None

    def _candidates(self, root):
        tags = self.tags
        return root.iter(*tags) if None not in tags else root.iter(etree.Element)

    def _matches_simple(self, el) -> bool:
        for matches in self.by_tag.get(el.tag, self.generic):
            if matches(el):
                return True
        return False

    def matches(self, el, root=None) -> bool:
        """Whether `el` itself matches (ancestors looked up to `root`)."""
        if self.simple and self.fallback is None:
            return self._matches_simple(el)
        scope = root if root is not None else el.getroottree().getroot()
        return any(found is el for found in self.select(scope))


def _never(el) -> bool:
    return False


def _any(matchers: list):
    """One function testing the matchers in order (what _matches_simple does)."""
    if not matchers:
        return _never
    if len(matchers) == 1:
        return matchers[0]
    if len(matchers) == 2:
        first, second = matchers
        return lambda el: first(el) or second(el)
    return lambda el: any(matches(el) for matches in matchers)


class _Unsupported(Exception):
    pass


def _compile(selector) -> _Complex:
    if selector.pseudo_element:
        raise _Unsupported(selector.pseudo_element)
    parts: list[_Compound] = []
    combinators: list[str] = []
    tree = selector.parsed_tree
    while isinstance(tree, cssselect.parser.CombinedSelector):
        if tree.combinator not in (" ", ">"):
            raise _Unsupported(tree.combinator)
        parts.insert(0, _compound(tree.subselector))
        combinators.insert(0, tree.combinator)
        tree = tree.selector
    parts.insert(0, _compound(tree))
    return _Complex(parts, combinators)


def _compound(node) -> _Compound:
    tests = []
    while True:
        kind = type(node).__name__
        if kind == "Element":
            if node.namespace:
                raise _Unsupported("namespace")
            tag = None if node.element in (None, "*") else node.element.lower()
            return _Compound(tag, tests)
        if kind == "Class":
            tests.append(("class", "~=", node.class_name))
        elif kind == "Hash":
            tests.append(("id", "=", node.id))
        elif kind == "Attrib":
            if node.namespace or getattr(node, "flag", None):
                raise _Unsupported("attribute namespace or flag")
            if node.operator not in ("exists", "=", "~=", "^=", "$=", "*=", "|="):
                raise _Unsupported(node.operator)
            value = getattr(node.value, "value", node.value)
            tests.insert(0, (node.attrib.lower(), node.operator, value))
            node = node.selector
            continue
        else:
            raise _Unsupported(kind)
        node = node.selector


@lru_cache(maxsize=None)
def compiled(css: str) -> Selector:
    return Selector(css)
