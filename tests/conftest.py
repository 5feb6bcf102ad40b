"""Shared fixtures: an archive holding the seed article (CONTRACT.md) and two others.

`seed_archive` is built with Archive.save_article from Article objects. It can
later be swapped for a real crawl of the offline mirror: the tests that use it
only rely on the seed article being there (found by its title), never on how
many other articles the archive holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import settings

from lsarchive.record import Article, Attachment, Credit, Image
from lsarchive.store.archive import Archive
from lsarchive.store.views import create_views

from .helpers import DatasetteClient, free_port, run_cli, wait_for

# Hypothesis: the property tests (test_extract_properties) run the full 200
# examples under `make test` (and CI); the fast tier, which leaves the slow tests
# out, runs 50 (derandomized too: the same 50 every run). HYPOTHESIS_PROFILE
# (full or fast) chooses either way.
settings.register_profile("full", max_examples=200)
settings.register_profile("fast", max_examples=50)


def pytest_configure(config):
    fast = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("fast" if fast else "full"))

SEED_TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"
SEED_IMAGE_PLACES = [1, 1, 3, 4, 4]
SEED_CAPTIONS = [
    "Biểu diễn văn nghệ chào mừng hội nghị",
    "Đồng chí Nông Bích Diệp , Phó Chỉ tịch Ủy ban nhân dân thành phố báo cáo tóm tắt kết quả "
    "công tác thi đua, khen thưởng năm 2016",
    "Đồng chí Bùi Văn Côi, Tỉnh ủy viên, Phó bí thư Thành ủy Lạng Sơn, Chủ tịch ủy ban nhân thành phố "
    "tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2016",
    "Đại diện các cụm ký giao ước thi đua năm 2017",
    "Đồng chí Bùi Văn Côi, Chủ tịch Ủy ban nhân thành phố phát biểu kết luận hội nghị",
]
SEED_CREDITS = [("Thanh Huệ", ["text", "photo"]), ("Đài TT-TH TPLS", ["unit"])]
SITE = "http://www.langson.gov.vn/tpls"
FILES = f"{SITE}/sites/tpls/files/anh%20tin%20bai"
CONTACT_URL = "https://archivist.example.org/contact"

SEED_BODY = [
    "Ngày 09/1/2017, Ủy ban nhân thành phố Lạng Sơn (TPLS) đã tổ chức hội nghị tổng kết công tác "
    "thi đua, khen thưởng năm 2016, đề ra phương hướng, nhiệm vụ năm 2017.",
    "Báo cáo tại hội nghị do đồng chí Nông Bích Diệp, Phó Chủ tịch Ủy ban nhân dân TPLS nêu rõ: "
    "Trong năm 2016, nhìn chung công tác thi đua, khen thưởng của TPLS đã bám sát nhiệm vụ chính trị "
    "trọng tâm, động viên cán bộ, công chức, viên chức và các tầng lớp nhân dân hăng hái thi đua lao "
    "động sản xuất, học tập và công tác. Cùng với đó, việc tổ chức đăng ký thi đua và bình xét khen "
    "thưởng đã đi vào nền nếp, giảm bớt tính hình thức, bám sát các tiêu chí của Luật Thi đua, Khen "
    "thưởng; các hình thức khen thưởng cũng được thực hiện thường xuyên, có chất lượng tốt, điều đáng "
    "lưu ý là TPLS luôn quan tâm khen thưởng trực tiếp cho người lao động tại cơ sở.",
    "Ghi nhận và biểu dương kịp thời đối với các tập thể, cá nhân có thành tích xuất sắc trong phong "
    "trào thi đua thực hiện kế hoạch Nhà nước năm 2016, Ủy ban nhân dân TPLS đã đề nghị Ủy ban nhân "
    "dân tỉnh Lạng Sơn tặng Cờ thi đua cho 03 đơn vị, tặng danh hiệu “Tập thể lao động xuất sắc” cho "
    "9 đơn vị, tặng Bằng khen cho 6 tập thể, 3 cá nhân, 5 hộ gia đình.",
    "Cũng nhân dịp này, Ủy ban nhân dân TPLS đã phát động Phong trào thi đua yêu nước rộng khắp trong "
    "toàn hệ thống chính trị, trên tất cả các lĩnh vực công tác, hướng tới mọi tầng lớp nhân dân trên "
    "địa bàn thành phố với chủ để: Đồng thuận cao – Thi đua giỏi – Về đích sớm.",
    "Phát biểu kết luận tại hội nghị, đồng chí Bùi văn Côi, tỉnh ủy viên, Phó Bí thư Thành ủy, Chủ "
    "tịch Ủy ban nhân dân TPLS nhấn mạnh các giải pháp thực hiện công tác thi đua, khen thưởng năm 2017.",
]


def seed_article() -> Article:
    """The article of shared/seeds/000_a20ff351e1621329.txt, as CONTRACT.md records it."""
    return Article(
        url=f"{SITE}/tin-tuc-su-kien/thanh-pho-lang-son-trien-khai-cong-tac-thi-dua-khen-thuong-nam-2017",
        node_id=1017,
        section="Tin tức - Sự kiện",
        title=SEED_TITLE,
        published_at="2017-01-10T20:04:00+07:00",
        published_text="Thứ Ba, 10/01/2017 - 20:04",
        body=list(SEED_BODY),
        # On the portal, images 1–2 follow paragraph 1, image 3 paragraph 3, 4–5 paragraph 4.
        images=[Image(src=f"{FILES}/thi-dua-{n}.jpg", alt=None, caption=caption, after_paragraph=after)
                for (n, caption), after in zip(enumerate(SEED_CAPTIONS, 1), SEED_IMAGE_PLACES)],
        credits=[Credit(name, list(roles)) for name, roles in SEED_CREDITS],
        credit_lines=["Tin, ảnh: Thanh Huệ", "Đài TT-TH TPLS"],
    )


def other_articles() -> list[Article]:
    """Two articles that do not mention "thi đua", in another section, month and year."""
    return [
        Article(
            url=f"{SITE}/van-hoa-xa-hoi/le-hoi-ky-cung-nam-2018", node_id=1200,
            section="Văn hóa - Xã hội", title="Lễ hội Kỳ Cùng năm 2018",
            published_at="2018-02-20T08:30:00+07:00", published_text="Thứ Ba, 20/02/2018 - 08:30",
            body=["Lễ hội đền Kỳ Cùng diễn ra từ ngày 22 đến 27 tháng Giêng.",
                  "Hàng vạn du khách đã về dự lễ hội."],
            images=[Image(src=f"{FILES}/ky-cung.jpg", alt="Rước kiệu", caption="Rước kiệu tại đền Kỳ Cùng")],
            credits=[Credit("Minh Anh", ["text"]), Credit("Đài TT-TH TPLS", ["unit"])],
            credit_lines=["Bài: Minh Anh", "Đài TT-TH TPLS"],
            attachments=[Attachment(href=f"{SITE}/sites/tpls/files/ke-hoach-le-hoi.pdf",
                                    text="Kế hoạch tổ chức lễ hội")],
        ),
        Article(
            url=f"{SITE}/tin-tuc-su-kien/hoi-nghi-trien-khai-nhiem-vu-nam-2018", node_id=1150,
            section="Tin tức - Sự kiện", title="Hội nghị triển khai nhiệm vụ năm 2018",
            published_at="2017-12-28T15:00:00+07:00", published_text="Thứ Năm, 28/12/2017 - 15:00",
            body=["Ủy ban nhân dân thành phố tổ chức hội nghị triển khai nhiệm vụ năm 2018."],
            credits=[Credit("Thanh Huệ", ["text"])],
            credit_lines=["Tin: Thanh Huệ"],
        ),
    ]


def build_archive(path: Path, articles: list[Article]) -> Path:
    with Archive(path) as archive:
        for article in articles:
            archive.save_article(article, site="tpls", fetched_at="2026-01-01T00:00:00+00:00")
        # Until create_schema creates the research views itself (idempotent).
        create_views(archive.db)
    return path


@pytest.fixture(scope="session")
def seed():
    """The seed article's data and the archive builder, for test modules.

    A fixture rather than `from conftest import ...`: test modules import
    nothing from conftest, so they work whether tests/ is a package or not.
    """
    return SimpleNamespace(
        title=SEED_TITLE, captions=SEED_CAPTIONS, credits=SEED_CREDITS,
        article=seed_article, others=other_articles, build_archive=build_archive,
    )


@pytest.fixture(scope="session")
def seed_archive(tmp_path_factory) -> Path:
    """Path of an archive.db holding the seed article (and a few others)."""
    path = tmp_path_factory.mktemp("seed") / "archive.db"
    return build_archive(path, [seed_article(), *other_articles()])


# A real `lsarchive serve` ---------------------------------------------------------
def serve_command() -> list[str]:
    """`lsarchive serve`."""
    return [sys.executable, "-m", "lsarchive.cli", "serve"]


@pytest.fixture(scope="session")
def mirror_crawl(tmp_path_factory):
    """One real crawl (media and WARCs included) of a 40-article mirror, which
    holds the seed article, for every test that reads a crawl without changing
    it (a test that writes copies what it writes to). WARC files rotate at
    100 kB, so that the crawl writes several; --contact-url names the operator in
    their warcinfo. The mirror stays up at base_url (`server`, with its log of
    requests) for the session, for tests that crawl it again."""
    from lsarchive.mirror import MirrorServer, MirrorSite

    folder = tmp_path_factory.mktemp("crawled")
    site = MirrorSite(articles=40, seed=1)
    with MirrorServer(site) as server:
        result = subprocess.run(
            [sys.executable, "-m", "lsarchive.cli", "crawl", "--site-url", server.base_url,
             "--db", str(folder / "archive.db"), "--no-progress", "--warc-max-size", "100000",
             "--contact-url", CONTACT_URL],
            check=True, capture_output=True, text=True, timeout=300,
        )
        yield SimpleNamespace(db=folder / "archive.db", folder=folder, site=site, base_url=server.base_url,
                              stdout=result.stdout, server=server, contact_url=CONTACT_URL)


@pytest.fixture(scope="session")
def mirror_recrawl(mirror_crawl, tmp_path_factory):
    """The shared crawl crawled again (an ordinary run, not --refresh) into a copy
    of its archive and media, one media file first marked failed as a failed
    download is recorded (lsarchive.stages.PageWriter.write_media): what a second
    run fetches (`requests`, from the mirror's log) and what it stores."""
    folder = tmp_path_factory.mktemp("recrawled")
    db = folder / "archive.db"
    shutil.copy(mirror_crawl.db, db)
    shutil.copytree(mirror_crawl.folder / "media", folder / "media")
    with closing(sqlite3.connect(db)) as conn:
        failed_media = conn.execute("select url from media order by url limit 1").fetchone()[0]
        conn.execute("update media set sha256 = null, size = null, path = null, status = 503, "
                     "error = 'HTTP 503' where url = ?", [failed_media])
        conn.commit()
    server = mirror_crawl.server
    before = len(server.request_log)
    result = run_cli("crawl", "--site-url", mirror_crawl.base_url, "--db", db, "--no-progress")
    return SimpleNamespace(db=db, folder=folder, stdout=result.stdout, failed_media=failed_media,
                           requests=server.request_log[before:])


@pytest.fixture(scope="session")
def mirror_refresh(mirror_crawl, tmp_path_factory):
    """The shared crawl refreshed (--refresh: every archived article asked again,
    conditionally) into a copy of its archive, media and WARCs, the site
    unchanged; read, never written, by the tests that use it. `first`: the
    crawl's WARC files (rotated at 100 kB); `second`: the refresh's."""
    from lsarchive.warc import warc_files

    folder = tmp_path_factory.mktemp("refreshed")
    db = folder / "archive.db"
    shutil.copy(mirror_crawl.db, db)
    for name in ("media", "warcs"):
        shutil.copytree(mirror_crawl.folder / name, folder / name)
    first = warc_files(folder / "warcs")
    run_cli("crawl", "--site-url", mirror_crawl.base_url, "--db", db, "--no-progress", "--refresh")
    files = warc_files(folder / "warcs")
    return SimpleNamespace(db=db, folder=folder, site=mirror_crawl.site, base_url=mirror_crawl.base_url,
                           contact_url=mirror_crawl.contact_url, files=files, first=first,
                           second=[path for path in files if path not in first])


@pytest.fixture(scope="session")
def crawled_archive(mirror_crawl) -> Path:
    """The shared crawl's archive.db: what a reader of the demo archive sees."""
    return mirror_crawl.db


@pytest.fixture(scope="session")
def served_archive(crawled_archive, tmp_path_factory):
    """Base URL of a real `lsarchive serve` over a crawled archive, on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [*serve_command(), "--db", str(crawled_archive), "--port", str(port)],
            stdout=log_file, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base_url}/-/versions.json", timeout=30, process=process, log=log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def client(seed_archive):
    """Datasette on the seed archive, for the module's requests."""
    from lsarchive.datasette import make_datasette

    client = DatasetteClient(make_datasette(seed_archive))
    yield client
    client.close()
