"""The CDX client's reading of both answer shapes, and of Retry-After."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from lsarchive.cdx import Polite, _capture, parse_page, replay_prefix, retry_after

# The Wayback Machine's output=json with showResumeKey: header row, rows, an empty row, the key.
IA_PAGE = json.dumps([
    ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
    ["vn,gov,langson)/tpls/node/5", "20170110130451", "http://www.langson.gov.vn:80/tpls/node/5", "text/html",
     "200", "AAAA", "1234"],
    ["vn,gov,langson)/tpls/node/5", "20180110130451", "http://www.langson.gov.vn/tpls/node/5", "warc/revisit",
     "-", "AAAA", "500"],
    [],
    ["vn%2Cgov%2Clangson%29%2Ftpls%2Fnode%2F6+20190101000000"],
]).encode()
# pywb: one object per line, its own field names.
PYWB_PAGE = (b'{"urlkey": "vn,gov,langson)/tpls/node/5", "timestamp": "20170110130451", '
             b'"url": "http://www.langson.gov.vn/tpls/node/5", "mime": "text/html", "status": "200", '
             b'"digest": "BBBB"}\n')


def test_the_wayback_machines_json_with_its_resume_key():
    rows, resume = parse_page(IA_PAGE)
    assert resume == "vn%2Cgov%2Clangson%29%2Ftpls%2Fnode%2F6+20190101000000"
    captures = [_capture(row) for row in rows]
    assert [(c.timestamp, c.status, c.digest) for c in captures] == [
        ("20170110130451", 200, "AAAA"), ("20180110130451", None, "AAAA")]


def test_pywbs_lines_without_a_resume_key():
    rows, resume = parse_page(PYWB_PAGE)
    assert resume is None
    capture = _capture(rows[0])
    assert (capture.original, capture.mimetype, capture.status) == (
        "http://www.langson.gov.vn/tpls/node/5", "text/html", 200)


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after("7") == 7.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after(later) <= 30
    assert retry_after("999999") == 600.0  # capped: a run can be resumed later


def test_where_captures_replay():
    assert replay_prefix("https://web.archive.org/cdx/search/cdx") == "https://web.archive.org/web"
    assert replay_prefix("http://127.0.0.1:8080/coll/cdx") == "http://127.0.0.1:8080/coll"


def test_the_limiter_spaces_requests_by_the_rate():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 6))
        now[0] += seconds

    polite = Polite(0.25, "test", sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        polite._pace()
        now[0] += 1.0  # each request takes a second
    assert slept == [3.0, 3.0]  # one start every 4 s
    polite._pace(at_least=10)  # a Retry-After of 10 s
    assert slept[-1] == 10.0


def test_pages_follow_the_resume_key_until_the_last():
    """A server answering as the Wayback Machine does: a page, an empty row, the resume key."""
    import http.server
    import threading
    from urllib.parse import parse_qs, urlsplit

    from lsarchive.cdx import list_captures

    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    pages = [
        [header, ["k", "20170101000000", "http://www.langson.gov.vn/tpls/node/1", "text/html", "200", "A", "1"],
         [], ["key-1"]],
        [header, ["k", "20180101000000", "http://www.langson.gov.vn/tpls/node/2", "text/html", "200", "B", "1"]],
    ]
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query)
            body = json.dumps(pages[1 if query.get("resumeKey") == ["key-1"] else 0]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/cdx/search/cdx"
        captures = list(list_captures(Polite(100, "test"), url, "http://www.langson.gov.vn/tpls/"))
    finally:
        server.shutdown()
        server.server_close()
    assert [c.timestamp for c in captures] == ["20170101000000", "20180101000000"]
    assert [q.get("resumeKey") for q in asked] == [None, ["key-1"]]
    assert asked[0]["matchType"] == ["prefix"] and asked[0]["showResumeKey"] == ["true"]
