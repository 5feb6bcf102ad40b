"""The plugin's Python SQL functions, bounded.

Datasette's time limit interrupts SQLite between steps, not inside a Python
function that SQLite calls, so a function given a huge text (a 200 MB value
in a crafted query) would hold a worker for seconds. Every function the
plugin registers gets its text arguments capped at MAX_SQL_TEXT characters.
"""

from __future__ import annotations

MAX_SQL_TEXT = 200_000
# Functions that show part of a text (a snippet) read its first MAX_SQL_TEXT
# characters; the others refuse a longer text (a wrong answer would be worse).
TRUNCATING_FUNCTIONS = frozenset({"lsarchive_highlight"})


# Bounded SQL functions ----------------------------------------------------------------

class TextTooLong(ValueError):
    pass


def bounded(name: str, function):
    """`function` with its text arguments capped at MAX_SQL_TEXT characters."""
    truncate = name in TRUNCATING_FUNCTIONS

    # Called once per row a query reads (a facet over 100,000 articles calls it
    # 100,000 times): a plain loop, no generator.
    def capped(*args):
        for a in args:
            if (a.__class__ is str or a.__class__ is bytes) and len(a) > MAX_SQL_TEXT:
                if not truncate:
                    raise TextTooLong(f"{name}: text over {MAX_SQL_TEXT:,} characters")
                args = tuple(a[:MAX_SQL_TEXT] if isinstance(a, (str, bytes)) else a for a in args)
                break
        return function(*args)

    capped.__name__ = getattr(function, "__name__", name)
    return capped


class BoundedFunctions:
    """A connection whose create_function registers bounded functions
    (prepare_connection wraps its `conn` in one: every function it adds,
    now or later, is bounded)."""

    def __init__(self, conn):
        self._conn = conn

    def create_function(self, name, narg, function, **options):
        return self._conn.create_function(name, narg, bounded(name, function), **options)

    def __getattr__(self, attribute):
        return getattr(self._conn, attribute)


def bounded_functions(conn) -> BoundedFunctions:
    return BoundedFunctions(conn)
