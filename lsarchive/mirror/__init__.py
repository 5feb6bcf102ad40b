"""The offline mirror: a deterministic Drupal 7 replica of the Lạng Sơn city portal.

    from lsarchive.mirror import MirrorSite, MirrorServer
    site = MirrorSite(articles=240, seed=1, edits=0, additions=0)
    with MirrorServer(site) as server:        # 127.0.0.1, any free port
        crawl(server.base_url)                # http://127.0.0.1:PORT/tpls/
        record = site.truth(node_id)          # what extraction must give

Crawling the mirror and the live site run the same code; only the base URL
differs. Modules: vocabulary (word lists, templates), content (catalog and
article generation), seed_article (the one real article), model (the abstract
article), markup (editor HTML), pages (Drupal templates), truth (the
CONTRACT.md record), media (file bytes), site (routing, HTTP semantics),
server (HTTP server, run_mirror), province (the sibling sub-sites on the
same host), themes/ (their themes and the city's 2012-2018 one), gold
(gold pages of every theme). docs/mirror.md describes the province.
"""

from .content import ALL_KINDS
from .seed_article import SEED
from .server import PORTAL_URL, MirrorServer, run_mirror
from .site import MirrorSite

SEED_TITLE = SEED.title

__all__ = ["MirrorSite", "MirrorServer", "run_mirror", "ALL_KINDS", "SEED_TITLE", "PORTAL_URL"]
