"""Readers' safety in Datasette: a Content-Security-Policy, and bounded SQL functions.

The archive holds pages written by others; whatever slipped through
extraction must not run in the reader's browser. Every response carries a
Content-Security-Policy whose script-src allows script files of this origin
(Datasette's own JavaScript) and, by their SHA-256, the few inline scripts
that Datasette's templates and this project's plugin write themselves: no
other inline script, event handler or `javascript:` URL runs, whatever a
page or a cell contains.

The plugin's Python SQL functions run inside one SQLite call, where
Datasette's time limit (a progress handler) cannot interrupt them: their
text arguments are capped, so one call stays within a few tens of
milliseconds and the time limit applies between calls.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from datasette import hookimpl

from ..extract.metadata import is_web_url
from .config import TEMPLATES_DIR

# Text arguments of the plugin's SQL functions, in characters. 200,000 is
# ten times the longest article of the portal; lsarchive_fold takes ~20 ms on it.

_INLINE_SCRIPT = re.compile(r"<script(?:\s+type=\"module\")?>(.*?)</script>", re.DOTALL)
# table.html writes one setting into its inline script: both values are allowed.
_TEMPLATED_SCRIPTS = ("DATASETTE_ALLOW_FACET = true;", "DATASETTE_ALLOW_FACET = false;")


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def trusted_inline_scripts() -> list[str]:
    """The inline scripts Datasette's templates, ours and our plugin write."""
    import datasette

    from . import plugin

    scripts = list(_TEMPLATED_SCRIPTS)
    for folder in (Path(datasette.__file__).parent / "templates", TEMPLATES_DIR):
        for template in sorted(folder.glob("*.html")):
            for script in _INLINE_SCRIPT.findall(template.read_text(encoding="utf-8")):
                if "{{" not in script and "{%" not in script:  # written as it stands
                    scripts.append(script)
    for name in dir(plugin):  # extra_body_script's scripts are module constants
        value = getattr(plugin, name)
        if name.isupper() and isinstance(value, str) and "document." in value:
            scripts.append(value)
    return scripts


@lru_cache(maxsize=1)
def content_security_policy() -> bytes:
    hashes = " ".join(sorted({_sha256_source(script) for script in trusted_inline_scripts()}))
    policy = (
        f"default-src 'self'; script-src 'self' {hashes}; "
        # Datasette and the article page style elements inline; styles run no script.
        "style-src 'self' 'unsafe-inline'; "
        # Images not archived under media/ are shown from their original site.
        "img-src 'self' data: http: https:; "
        "object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
    return policy.encode("ascii")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_security_headers(scope, receive, send):
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return

            async def send_with_headers(message):
                if message.get("type") == "http.response.start":
                    headers = list(message.get("headers") or [])
                    names = {bytes(name).lower() for name, _ in headers}
                    if b"content-security-policy" not in names:  # /-/media sets a stricter one
                        headers.append((b"content-security-policy", content_security_policy()))
                    if b"x-content-type-options" not in names:
                        headers.append((b"x-content-type-options", b"nosniff"))
                    message = dict(message, headers=headers)
                await send(message)

            await app(scope, receive, send_with_headers)

        return with_security_headers

    return wrap


@hookimpl
def prepare_jinja2_environment(env):
    """`{% if url is lsarchive_web_url %}`: only http(s) URLs become links."""
    env.tests["lsarchive_web_url"] = is_web_url
