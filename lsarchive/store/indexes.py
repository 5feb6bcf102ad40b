"""The archive's full-text indexes, by name: schema.py creates them, search.py reads them.

Apart from schema.py, which imports sqlite-utils: a search (and `lsarchive
search`'s start-up) need not.
"""

FOLDED_FTS = "articles_search_fts"         # folded title, body, captions (sqlite-utils' FTS of articles_search)
EXACT_FTS = "articles_exact_fts"           # the same, every mark kept
TITLE_FTS = "articles_title_fts"           # titles alone, every mark kept
TITLE_FOLDED_FTS = "articles_title_folded_fts"  # titles alone, folded
SEARCH_INDEXES = (FOLDED_FTS, EXACT_FTS, TITLE_FTS, TITLE_FOLDED_FTS)
