"""The seed article: the one real page of the portal known to the project.

Its text is `shared/seeds/000_a20ff351e1621329.txt` (the page as text),
line for line, typos and odd spacing included ("Phó Chỉ tịch", "chủ để",
"Diệp ,"): an archive keeps them. The body markup is rebuilt the way a 2017
CKEditor user wrote it: paragraphs indented and "centred" with runs of
`&nbsp; `, each photo alone in a paragraph, its caption the italic line
after it (once after an empty paragraph), credit lines at the end.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from .model import Picture

TITLE = "Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017"

# The body lines of the seed text (its lines 4 to 54; the numbers are the
# seed file's line numbers). Non-breaking spaces are as in the page.
LINES = (
    'Thành phố Lạng Sơn triển khai công tác thi đua, khen thưởng năm 2017',  # 4
    '\xa0',  # 6
    '\xa0 \xa0 \xa0 \xa0 \xa0 Ngày 09/1/2017, Ủy ban nhân thành phố Lạng Sơn (TPLS) đã tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm 2016, đề ra phương hướng, nhiệm vụ năm 2017.',  # 8
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0',  # 10
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0Biểu diễn văn nghệ chào mừng hội nghị',  # 12
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0',  # 14
    'Đồng chí \xa0Nông Bích Diệp , Phó Chỉ tịch Ủy ban nhân dân thành phố báo cáo tóm tắt kết quả công tác thi đua, khen thưởng năm 2016',  # 16
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 Báo cáo tại hội nghị do đồng chí Nông Bích Diệp, Phó Chủ tịch Ủy ban nhân dân TPLS nêu rõ: Trong năm 2016, nhìn chung công tác thi đua, khen thưởng của TPLS đã bám sát nhiệm vụ chính trị trọng tâm, động viên cán bộ, công chức, viên chức và các tầng lớp nhân dân hăng hái thi đua lao động sản xuất, học tập và công tác. Cùng với đó, việc tổ chức đăng ký thi đua và bình xét khen thưởng đã đi vào nền nếp, giảm bớt tính hình thức, bám sát các tiêu chí của Luật Thi đua, Khen thưởng; các hình thức khen thưởng cũng được thực hiện thường xuyên, có chất lượng tốt, điều đáng lưu ý là TPLS luôn quan tâm khen thưởng trực tiếp cho người lao động tại cơ sở. Bộ máy làm công tác thi đua, khen thưởng từ thành phố đến các phường, xã, không ngừng được kiện toàn. Các cơ quan thông tin đã có nhiều cố gắng trong việc tuyên truyền chủ trương, đường lối của Đảng, chính sách pháp luật của Nhà nước về phong trào thi đua yêu nước, phát hiện và nhân rộng các điển hình tiến trên trên tất cả các lĩnh vực của đời sống xã hội,…góp phần thúc đẩy phát triển kinh tế, xã hội, đảm bảo trật tự xã hội, quốc phòng, an ninh trên địa bàn.',  # 18
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0Ghi\xa0 nhận và biểu dương kịp thời đối với các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua thực hiện kế hoạch Nhà nước năm 2016, Ủy ban nhân dân TPLS đã đề nghị Ủy ban nhân dân tỉnh Lạng Sơn tặng Cờ thi đua cho 03 đơn vị, tặng danh hiệu “Tập thể lao động xuất sắc” cho 9 đơn vị, tặng Bằng khen cho 6 tập thể, 3 cá nhân, 5 hộ gia đình.',  # 20
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0',  # 22
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0',  # 24
    'Đồng chí Bùi Văn Côi, Tỉnh ủy viên, Phó bí thư Thành ủy Lạng Sơn, Chủ tịch ủy ban nhân thành phố tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2016',  # 26
    '\xa0',  # 28
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0',  # 30
    '\xa0',  # 32
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0Cũng nhân dịp này, Ủy ban nhân dân TPLS đã phát động Phong trào thi đua yêu nước rộng khắp trong toàn hệ thống chính trị, trên tất cả các lĩnh vực công tác, hướng tới mọi tầng lớp nhân dân trên địa bàn thành phố với chủ để: Đồng thuận cao – Thi đua giỏi – Về đích sớm, đồng thời, tặng Giấy khen cho 22 tập thể; 130 cá nhân; tặng danh hiệu “Tập thể lao động tiên tiến” cho 36 đơn vị; tặng danh hiệu “Lao động tiên tiến” cho 270 cá nhân, tặng Giấy khen cho 10 hộ gia đình đã có thành tích xuất sắc trong phong trào thi đua sản xuất, kinh doanh giỏi và phát triển kinh tế hộ gia đình năm 2016.\xa0',  # 34
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0',  # 36
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0Đại diện các cụm ký giao ước thi đua năm 2017',  # 38
    '\xa0',  # 40
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0\xa0',  # 42
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0Đồng chí Bùi Văn Côi, Chủ tịch Ủy ban nhân thành phố phát biểu kết luận hội nghị',  # 44
    '\xa0 \xa0 \xa0 \xa0 \xa0 Phát biểu kết luận tại hội nghị, đồng chí Bùi văn Côi, tỉnh ủy viên, Phó Bí thư Thành ủy, Chủ tịch Ủy ban nhân dân TPLS nhấn mạnh các giải pháp thực hiện công tác thi đua, khen thưởng năm 2017, trong đó chú trọng công tác tuyên truyền nhằm tạo sự chuyển biến mạnh mẽ trong nhận thức của cán bộ, đảng viên, các tầng lớp nhân dân về vị trí, vai trò, tác dụng của phong trào thi đua yêu nước. Nâng cao vai trò, trách nhiệm của cấp ủy Đảng, chính quyền, đoàn thể; phát huy tốt vai trò của Mặt trận Tổ quốc, sự phối hợp chặt chẽ giữa các cơ quan, đơn vị trong công tác tổ chức, triển khai thực hiện Phong trào thi đua yêu nước hướng vào thực hiện có hiệu quả nhiệm vụ phát triển kinh tế, xã hội, đảm bảo quốc phòng, an ninh của thành phố Lạng Sơn.',  # 46
    '\xa0',  # 48
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 Tin, ảnh: Thanh Huệ',  # 50
    '\xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0 \xa0Đài TT-TH TPLS',  # 52
    '\xa0',  # 54
)

# What each line is in the page: title repeat, empty, text, picture (the
# image's paragraph: only spaces and the image), caption, credit.
ROLES = (
    "title", "empty", "text", "picture", "caption", "picture", "caption",
    "text", "text", "picture", "empty", "caption", "empty", "empty", "empty",
    "text", "picture", "caption", "empty", "picture", "caption", "text",
    "empty", "credit", "credit", "empty",
)


def _image_src(number: int) -> str:
    return f"/tpls/sites/tpls/files/anh%20tin%20bai/thi-dua-{number}.jpg"


def _html_text(line: str) -> str:
    """The line as CKEditor stores it: every no-break space as &nbsp;."""
    return html.escape(line, quote=False).replace("\xa0", "&nbsp;")


def _body_html() -> str:
    parts = []
    picture = 0
    for line, role in zip(LINES, ROLES):
        if role == "title":
            parts.append(f"<p>{_html_text(line)}</p>")
        elif role == "picture":
            picture += 1
            half = len(line) // 2
            image = f'<img alt="" src="{_image_src(picture)}" style="width: 500px; height: 333px;" />'
            parts.append(f"<p>{_html_text(line[:half])}{image}{_html_text(line[half:])}</p>")
        elif role == "caption":
            stripped = line.lstrip("\xa0 ")
            indent = line[: len(line) - len(stripped)]
            parts.append(f"<p>{_html_text(indent)}<em>{_html_text(stripped)}</em></p>")
        else:
            parts.append(f"<p>{_html_text(line)}</p>")
    return "\r\n".join(parts)


def _clean(line: str) -> str:
    return " ".join(line.replace("\xa0", " ").split())


@dataclass(frozen=True)
class SeedArticle:
    title: str
    published: datetime
    changed: datetime
    section_path: str
    body_html: str
    pictures: tuple[Picture, ...]
    sequence: tuple
    """("para", text) and ("picture", None) in page order, for the truth."""
    lines: tuple


def _build() -> SeedArticle:
    captions = [_clean(line) for line, role in zip(LINES, ROLES) if role == "caption"]
    pictures = tuple(Picture(_image_src(n + 1), "", captions[n], 500, 333) for n in range(5))
    sequence = tuple(
        ("picture", None) if role == "picture" else ("para", _clean(line))
        for line, role in zip(LINES, ROLES) if role in ("text", "picture")
    )
    return SeedArticle(
        title=TITLE,
        published=datetime(2017, 1, 10, 20, 4, 0),
        changed=datetime(2017, 1, 10, 20, 31, 17),
        section_path="tin-tuc-su-kien",
        body_html=_body_html(),
        pictures=pictures,
        sequence=sequence,
        lines=LINES,
    )


SEED = _build()
