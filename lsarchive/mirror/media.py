"""Real bytes for the mirror's files: JPEG, PNG, ICO, PDF, DOC, DOCX, XLSX.

Articles' photos are photo-like JPEGs of a news photo's size (600–900 pixels
wide, tens of kilobytes: a scene of buildings, a banner and people, soft
edges and sensor grain), drawn with Pillow from the mirror's seed and the
file's path, so that pages, media storage and benchmarks see realistic
files. Other files are tiny but valid, so that whatever downloads them (the
crawler's media pipeline, a browser, `file`) sees the right format. Each
file embeds its own path or title, so two files never have the same bytes
(and so the same hash), and the same path always gives the same bytes.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from functools import lru_cache
from xml.sax.saxutils import escape as xml_escape

from PIL import Image, ImageChops, ImageDraw, ImageOps

from ..normalize import fold

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "ico": "image/vnd.microsoft.icon",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "css": "text/css",
    "js": "application/javascript",
}


def content_type(path: str) -> str:
    return CONTENT_TYPES.get(path.rsplit(".", 1)[-1].lower(), "application/octet-stream")


# --------------------------------------------------------------------------
# JPEG: an 8x8 grey baseline image (one DC-only block) with a comment
# --------------------------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


_JFIF = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
_QUANT = _segment(0xDB, b"\x00" + b"\x01" * 64)
_FRAME = _segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
# Huffman tables with a single one-bit code each: DC category 0, AC end-of-block.
_HUFFMAN = (
    _segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
    + _segment(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")
)
_SCAN = _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x3f"  # bits 0 (DC), 0 (EOB), padded with 1s


def jpeg(comment: str) -> bytes:
    """A valid baseline JPEG (8x8, mid grey) whose COM segment holds `comment`."""
    text = comment.encode("utf-8")[:60000]
    return b"\xff\xd8" + _JFIF + _segment(0xFE, text) + _QUANT + _FRAME + _HUFFMAN + _SCAN + b"\xff\xd9"


# --------------------------------------------------------------------------
# Photos: what the portal's articles show
# --------------------------------------------------------------------------

# Sizes the portal's editors upload (landscape news photos).
PHOTO_SIZES = ((800, 533), (800, 600), (720, 480), (640, 427), (900, 600), (600, 400), (768, 512))
THUMBNAIL_BOX = (100, 100)  # Drupal 7's "thumbnail" image style: scale to fit 100x100
_GRAIN = 8  # sensor noise amplitude (of 128): what makes a JPEG photo tens of kilobytes


def photo(path: str, seed: int = 1, *, thumbnail: bool = False) -> bytes:
    """A photo-like JPEG for an article image, the same bytes for the same
    (path, seed); `thumbnail` gives Drupal's thumbnail derivative of it."""
    if not thumbnail:
        return _photo(path, seed)
    image = Image.open(io.BytesIO(_photo(path, seed)))
    image.thumbnail(THUMBNAIL_BOX)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, comment=("thumbnail " + path).encode("utf-8")[:60000])
    return out.getvalue()


@lru_cache(maxsize=256)  # a crawl asks for each file once, a browser or a test again soon after
def _photo(path: str, seed: int) -> bytes:
    rng = random.Random(f"{seed}:{path}")
    full = rng.choice(PHOTO_SIZES)
    # Drawn at half size and scaled up: the soft edges of a photo, at a quarter of the work.
    width, height = full[0] // 2, full[1] // 2
    horizon = int(height * rng.uniform(0.3, 0.6))

    def colour(low: tuple, high: tuple) -> tuple:
        return tuple(rng.randint(a, b) for a, b in zip(low, high))

    def muted(low: int, high: int, tint: int = 25) -> tuple:
        grey = rng.randint(low, high)
        return tuple(max(0, min(255, grey + rng.randint(-tint, tint))) for _ in range(3))

    gradient = Image.linear_gradient("L")
    sky = ImageOps.colorize(gradient, colour((90, 120, 160), (170, 200, 240)), colour((190, 200, 210), (240, 240, 245)))
    ground = ImageOps.colorize(gradient, colour((90, 80, 60), (150, 140, 110)), colour((40, 40, 30), (90, 80, 60)))
    image = Image.new("RGB", (width, height))
    image.paste(sky.resize((width, horizon)), (0, 0))
    image.paste(ground.resize((width, height - horizon)), (0, horizon))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):  # buildings (or a hall's walls), with windows
        x, w, h = rng.randint(-25, width), rng.randint(30, 130), rng.randint(30, horizon + 20)
        draw.rectangle((x, horizon - h, x + w, horizon + 5), fill=muted(120, 220))
        for wy in range(horizon - h + 6, horizon - 5, 14):
            for wx in range(x + 5, x + w - 7, 12):
                draw.rectangle((wx, wy, wx + 5, wy + 7), fill=muted(40, 110, 15))
    if rng.random() < 0.6:  # the red banner of a meeting or a festival
        x, y = rng.randint(0, width // 3), rng.randint(5, max(6, horizon // 2))
        draw.rectangle((x, y, x + rng.randint(width // 3, width // 2 + 50), y + rng.randint(15, 30)),
                       fill=colour((170, 10, 10), (220, 40, 30)))
    for _ in range(rng.randint(8, 30)):  # people, larger nearer the camera
        x, y = rng.randint(0, width), rng.randint(horizon - 10, height)
        size = 5 + (y - horizon + 10) * rng.uniform(0.1, 0.25)
        draw.ellipse((x - size * 0.9, y - size * 1.4, x + size * 0.9, y + size * 2.6), fill=muted(20, 180, 35))
        draw.ellipse((x - size * 0.45, y - size * 2.4, x + size * 0.45, y - size * 1.4),
                     fill=colour((150, 110, 80), (230, 190, 160)))
    light = Image.frombytes("L", (width // 4, height // 4), rng.randbytes((width // 4) * (height // 4)))
    light = light.resize((width, height), Image.BILINEAR).point(lambda v: 128 + (v - 128) // 10)
    image = ImageChops.add(image, light.convert("RGB"), offset=-128).resize(full, Image.BILINEAR)
    grain = Image.frombytes("L", full, rng.randbytes(full[0] * full[1]))
    grain = grain.point(lambda v: 128 + (v - 128) * _GRAIN // 128)
    image = ImageChops.add(image, grain.convert("RGB"), offset=-128)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, comment=path.encode("utf-8")[:60000])
    return out.getvalue()


# --------------------------------------------------------------------------
# PNG and ICO (logo, favicon)
# --------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(comment: str, width: int = 1, height: int = 1) -> bytes:
    """A grey PNG with a tEXt chunk holding `comment`."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"tEXt", b"Comment\x00" + fold(comment).encode("ascii", "replace"))
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


def ico(comment: str) -> bytes:
    """A 16x16 icon holding one PNG image (allowed since Windows Vista)."""
    image = png(comment, 16, 16)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(image), 22) + image


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    ascii_text = fold(text).encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str) -> bytes:
    """A one-page PDF 1.4 with the title as its only line (ASCII, Helvetica)."""
    stream = f"BT /F1 14 Tf 72 770 Td ({_pdf_string(title)}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (" + _pdf_string(title).encode("ascii") + b") /Producer (lsarchive mirror) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def doc(title: str) -> bytes:
    """An RTF document, as many "doc" files on government sites really are (Word opens it)."""
    escaped = "".join(
        ch if ord(ch) < 128 and ch not in "\\{}" else (f"\\{ch}" if ch in "\\{}" else
                                                      f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
        for ch in title
    )
    return ("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs28 "
            + escaped + "\\par}").encode("ascii")


def _zip(files: list[tuple[str, str]]) -> bytes:
    """A zip with fixed timestamps, so the same files give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2012, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="{target}"/></Relationships>'
)


def docx(title: str) -> bytes:
    """A minimal Word 2007 document with the title as its only paragraph."""
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{xml_escape(title)}</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip([
        ("[Content_Types].xml", types),
        ("_rels/.rels", _RELS.format(target="word/document.xml")),
        ("word/document.xml", document),
    ])


def xlsx(title: str) -> bytes:
    """A minimal Excel 2007 workbook: one sheet, the title in A1."""
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{xml_escape(title)}</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _zip([
        ("[Content_Types].xml", types),
        ("_rels/.rels", _RELS.format(target="xl/workbook.xml")),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/worksheets/sheet1.xml", sheet),
    ])


DOCUMENT_MAKERS = {"pdf": pdf, "doc": doc, "docx": docx, "xlsx": xlsx}


def document(extension: str, title: str) -> bytes:
    return DOCUMENT_MAKERS[extension.lower()](title)


# --------------------------------------------------------------------------
# Theme files
# --------------------------------------------------------------------------

STYLESHEET = (
    "/* lsarchive offline mirror: stand-in for the portal theme's aggregated CSS */\n"
    "body{font-family:Arial,Helvetica,sans-serif;font-size:13px}\n"
    ".element-invisible{position:absolute!important;clip:rect(1px,1px,1px,1px)}\n"
    ".quicktabs-hide{display:none}\n"
)
SCRIPT = "/* lsarchive offline mirror: stand-in for misc/jquery.js (jQuery 1.4.4 in Drupal 7) */\n"
