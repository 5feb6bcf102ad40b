"""The ranked rows of a search as a JSON array (`_shape=array`) are answered by the
plugin's route (lsarchive/datasette/ranked_array.py) as Datasette's table view
would answer them: the same rows, the same permissions, the same headers."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from datasette.app import Datasette

from lsarchive.datasette import register_plugin

from .helpers import DatasetteClient

SEARCH = "/archive/articles.json?_search=" + quote_plus("thi đua")


def plain_datasette(path, metadata=None, **options) -> DatasetteClient:
    """`datasette archive.db` with the project's plugin, as a reader would start it."""
    register_plugin()
    return DatasetteClient(Datasette([str(path)], metadata=metadata, **options))


@pytest.fixture
def served(seed_archive):
    client = plain_datasette(seed_archive, cors=True)
    yield client
    client.close()


def test_the_array_is_the_rows_of_the_ranked_page(served):
    # The table view's ranked rows in the default shape, every column, are the
    # route's array, row for row.
    array = served.get(SEARCH + "&_shape=array")
    objects = served.json(SEARCH + "&_shape=objects")
    assert array.status_code == 200 and array.json() == objects["rows"] and array.json()
    assert served.json(SEARCH + "&_shape=array&_size=1") == objects["rows"][:1]


def test_the_array_carries_the_table_views_headers(served):
    array = served.get(SEARCH + "&_shape=array")
    table_view = served.get(SEARCH + "&_shape=objects")
    for header in ("content-type", "cache-control", "referrer-policy",
                   "access-control-allow-origin", "access-control-expose-headers"):
        assert array.headers.get(header) == table_view.headers.get(header), header
    assert array.headers["access-control-allow-origin"] == "*"  # Datasette serves with --cors


def test_a_table_hidden_from_the_reader_stays_hidden(seed_archive):
    # The articles table only for the actor "root": the array is refused
    # to anyone else, and given to root (Datasette's signed actor cookie).
    metadata = {"databases": {"archive": {"tables": {"articles": {"allow": {"id": "root"}}}}}}
    client = plain_datasette(seed_archive, metadata=metadata)
    try:
        assert client.get(SEARCH + "&_shape=array").status_code == 403
        cookie = {"ds_actor": client.ds.sign({"a": {"id": "root"}}, "actor")}
        as_root = client.loop.run_until_complete(client.ds.client.get(SEARCH + "&_shape=array", cookies=cookie))
        assert as_root.status_code == 200 and as_root.json()
    finally:
        client.close()


def test_the_route_alone_finds_nothing(served):
    assert served.get("/-/lsarchive/ranked-array").status_code == 404
    assert served.get("/-/lsarchive/ranked-array?_search=thi&_shape=array").status_code == 404


def test_what_the_table_view_would_refuse_it_still_refuses(served):
    # A page size over Datasette's maximum gets Datasette's own 400.
    response = served.get(SEARCH + "&_shape=array&_size=5000")
    assert response.status_code == 400 and "_size must be <=" in response.text
