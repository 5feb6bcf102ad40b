"""What every theme shares: the site it serves, Drupal's <head>, the core
breadcrumb and the Vietnamese date formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from ..model import WEEKDAYS, iso_datetime

MINUTE = "%Y-%m-%dT%H:%M:00+07:00"


@dataclass(frozen=True)
class SiteInfo:
    name: str
    """The sub-site's folder: tpls, sotttt, caoloc, bqlkkt."""
    title: str
    sections: tuple[tuple[str, str], ...]
    """(name, path relative to the prefix), in menu order."""
    address: str = ""

    @property
    def prefix(self) -> str:
        return f"/{self.name}/"

    @property
    def files(self) -> str:
        return f"/{self.name}/sites/{self.name}/files/"


def head(site: SiteInfo, title: str, links: str = "", css: str = "style.css") -> str:
    """Drupal 7's html.tpl.php head, as every theme keeps it."""
    return (
        '<!DOCTYPE html>\n<html lang="vi" dir="ltr">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f'<link rel="shortcut icon" href="{site.prefix}misc/favicon.ico" type="image/vnd.microsoft.icon" />\n'
        '<meta name="Generator" content="Drupal 7 (http://drupal.org)" />\n'
        f"{links}<title>{escape(title)}</title>\n"
        f'<link type="text/css" rel="stylesheet" href="{site.files}css/{css}" media="all" />\n'
        f'<script type="text/javascript" src="{site.prefix}misc/jquery.js?v=1.4.4"></script>\n'
        "</head>\n"
    )


def node_links(site: SiteInfo, alias: str, node_id: int) -> str:
    return (f'<link rel="shortlink" href="{site.prefix}node/{node_id}" />\n'
            f'<link rel="canonical" href="{site.prefix}{alias}" />\n')


def core_breadcrumb(site: SiteInfo, *links: tuple[str, str]) -> str:
    """theme_breadcrumb() of Drupal 7 core, which most themes keep."""
    parts = [f'<a href="{site.prefix}">Trang chủ</a>']
    parts += [f'<a href="{site.prefix}{path}">{escape(name)}</a>' for path, name in links]
    return ('<h2 class="element-invisible">Bạn đang ở đây</h2>'
            f'<div class="breadcrumb">{" » ".join(parts)}</div>\n')


def weekday(when: datetime, lower: bool = False) -> str:
    name = WEEKDAYS[when.weekday()]
    return name[:4] + name[4:].lower() if lower else name


def facts(published_text: str, when: datetime, machine: bool, section: str | None) -> dict:
    """The truth record's fields that the theme decides."""
    return {
        "published_text": published_text,
        "published_at": iso_datetime(when, seconds=machine),
        "section": section,
    }


def esc(text: str) -> str:
    return escape(text)
