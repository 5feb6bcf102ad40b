"""The ranked rows of an articles search as a JSON array, answered without the table view.

`/archive/articles.json?_search=…&_shape=array` is what a client calls for
search hits: the page's rows, best first, nothing else. Its rows are read
together with the ranking (ranking.ranked_page, one trip to Datasette's SQL
thread). Datasette's table view, asked for the same page, would only check
the request, read the table's structure, its columns, keys, foreign keys,
sortable columns (some fifteen more trips to that thread, about 10 ms a
request at 100,000 articles), and have its rows thrown away.

So such a request is routed to RANKED_ARRAY_ROUTE, inside Datasette's own
router: Datasette still works out who is asking (its `actor_from_request`
hooks) and the route checks the same permissions as the table view
(view-table, view-database, view-instance). The answer carries the headers
the table view's would: `Link` to the next ranked page, Cache-Control per
`_ttl` / `default_cache_ttl`, Referrer-Policy, CORS when Datasette serves
with `--cors`. Anything the route does not answer as Datasette would (a
`_size` Datasette would refuse, `_trace`, `_ttl`, another shape, chosen
columns, filters) goes to the table view as before.
"""

from __future__ import annotations

from datasette.utils import add_cors_headers
from datasette.utils.asgi import Response

RANKED_ARRAY_ROUTE = r"^/-/lsarchive/ranked-array$"
_ROUTE_PATH = "/-/lsarchive/ranked-array"
# Arguments the route leaves to the table view.
_TABLE_VIEW_ARGUMENTS = ("_trace", "_ttl", "_timelimit", "_extra")


def answers(search, datasette) -> bool:
    """Whether the route answers this search as the table view would."""
    if not search.narrowed() or any(k in search.args for k in _TABLE_VIEW_ARGUMENTS):
        return False
    size = search.args.get("_size")
    return size is None or size == "max" or (size.isdigit() and 0 < int(size) <= datasette.max_returned_rows)


def routed(scope: dict, search) -> dict:
    """The request as the route receives it: the search rides along in the scope
    (a request to the route without one finds nothing there)."""
    path = _ROUTE_PATH.encode("ascii")
    return dict(scope, path=_ROUTE_PATH, raw_path=path, lsarchive_array_of=search,
                lsarchive_table_path=scope["path"])


async def ranked_array(request, datasette):
    search = request.scope.get("lsarchive_array_of")
    if search is None:
        return Response.text("Not found", status=404)
    # The table view's check (its check_visibility also asks whether an anonymous
    # reader could see the table, for the HTML page's "private" mark: not needed
    # here, and each table check copies Datasette's whole metadata).
    await datasette.ensure_permissions(request.actor, [
        ("view-table", (search.database, "articles")), ("view-database", search.database), "view-instance"])
    from lsarchive.datasette.ranking import array_body

    url = datasette.absolute_url(request, request.scope["lsarchive_table_path"])
    body, next_url = array_body(search, url)
    response = Response(body, content_type="application/json; charset=utf-8")
    if next_url:
        response.headers["link"] = f'<{next_url}>; rel="next"'
    # The table view's headers (Datasette's BaseView.set_response_headers).
    if datasette.cache_headers:
        ttl = int(datasette.setting("default_cache_ttl"))
        response.headers["Cache-Control"] = "no-cache" if ttl == 0 else f"max-age={ttl}"
    response.headers["Referrer-Policy"] = "no-referrer"
    if datasette.cors:
        add_cors_headers(response.headers)
    return response
