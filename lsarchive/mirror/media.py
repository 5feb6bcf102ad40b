"""Real bytes for the mirror's files: JPEG, PNG, ICO, PDF, DOC, DOCX, XLSX.

Files are tiny but valid, so that whatever downloads them (the crawler's
media pipeline, a browser, `file`) sees the right format. Each file embeds its
own path or title, so two files never have the same bytes (and so the same
hash), and the same path always gives the same bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape as xml_escape

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
