"""Whether a weight download's answer is a web page — a captive portal's login page, a proxy's
refusal, served with status 200 in the file's place — and the words for it. Running such a
download again only fetches the page again, so it is said as a page ("a network that wants a
login first?"), not as a damaged download.

Told by the answer's ``Content-Type`` where it states an HTML one (with a tag in it: Flask,
Express and PHP label a JSON or text error ``text/html`` by default) or a plain-text or JSON
one, else by the answer's start: a warning in Latin-1 or cp1251 before a login page (a PHP
portal on an old server) left it unnamed, and a plain-text error whose indented line opened
with ``<html>`` was called a page, the start alone being ambiguous both ways. XML types let
the start decide: an XHTML login page is served as ``text/xml`` too."""

from __future__ import annotations

import codecs
import http.client
import re
from pathlib import Path

PAGE_HEAD_BYTES = 4096
"""How much of an answer past its prologue :func:`is_web_page` looks at (PHP warnings first)."""
PAGE_SCAN_BYTES = 64 << 10
_PROLOGUE = re.compile(rb"(?:\s+|\xef\xbb\xbf|<!--.*?-->|<\?.*?\?>)*", re.S)
_PAGE_TAG = re.compile(rb"<(?:html|head|script)[\s>]|<!doctype\s+html"
                       rb"|<meta\s[^>]*http-equiv\s*=\s*['\"]?refresh", re.I)
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_A_TAG = re.compile(rb"<[A-Za-z!/]")
_QUOTED_TAGS = (b"<html", b"<head", b"<!doctype")
"""The page tags an error's text quotes in words (``  <html> is not allowed here``); a
redirect's ``<script>`` or refresh ``<meta>`` is followed by its own text (``Redirecting…``)."""
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "application/json", "application/problem+json",
                        "application/problem+xml"})
"""Stated types of an answer that is no page whatever it quotes (a mirror's error text)."""


def content_type(response: http.client.HTTPResponse) -> str | None:
    """The media type ``response`` states (``text/html``), in lower case without its
    parameters; None where it states none (``get_content_type`` says ``text/plain`` then)."""
    headers = getattr(response, "headers", None)  # (a wrapped stream may have none)
    value = headers.get("Content-Type") if headers is not None else None
    return str(value or "").split(";")[0].strip().lower() or None


def came_instead(path: Path, otherwise: str, stated: str | None = None) -> str:
    """What the downloaded file at ``path``, which did not verify, was, in a few words after
    "does not match …": a web page (a wifi's login page, a proxy's refusal, served with
    status 200) was called a "corrupted or substituted download", and running it again only
    fetched the page again. ``stated``: the answer's :func:`content_type`. ``otherwise`` for
    anything else."""
    try:
        with open(path, "rb") as downloaded:
            head = downloaded.read(PAGE_SCAN_BYTES)
    except OSError:
        return otherwise
    if is_web_page(head, stated):
        return "the answer is a web page, not the file: a network that wants a login first?"
    return otherwise


def is_web_page(head: bytes, stated: str | None = None) -> bool:
    """Whether an answer starting with ``head`` is a web page (HTML). An answer stated as HTML
    (``stated``, its :func:`content_type`) is one when it is text with a tag, one stated as
    plain text or JSON is none; otherwise (XML too), past BOMs (UTF-16 read as such), blanks,
    comments and an XML declaration within :data:`PAGE_SCAN_BYTES`, its first ``<`` opens a
    line after text only (a warning, in any 8-bit charset), an indented one only where it
    opens a page (:func:`_opens_a_page`), and an ``<html>``, ``<head>``, ``<script>``,
    ``<!doctype html`` or refresh ``<meta>`` is in its next :data:`PAGE_HEAD_BYTES`; an XML
    ``<header>``, errors quoting ``<html>``, gzip: no page."""
    head = head[:PAGE_SCAN_BYTES]  # a whole download may be given: not copied whole
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("ascii", "replace")
    head = head.removeprefix(codecs.BOM_UTF8)
    start = prologue.end() if (prologue := _PROLOGUE.match(head)) else 0
    text = head[start:start + PAGE_HEAD_BYTES]
    if stated in HTML_TYPES:  # a mislabelled binary file (a mirror's misconfiguration) is none
        return not _NOT_TEXT.search(text) and bool(_A_TAG.search(text))
    if stated in TEXT_TYPES:
        return False
    before = text[:max(text.find(b"<"), 0)]
    opens = not before or before.endswith(b"\n") or (  # indented: only a page's own tag
        before.rstrip(b" \t").endswith(b"\n") and _opens_a_page(text, len(before)))
    return bool(opens) and not _NOT_TEXT.search(before) and bool(_PAGE_TAG.search(text))


def _opens_a_page(text: bytes, at: int) -> bool:
    """Whether the indented line at ``at`` opens a page: a redirect's tag, or an ``<html>``,
    ``<head>`` or ``<!doctype`` that ends its line or is followed by another tag
    (``  <html><head>``), or runs on past it (attributes on the next lines); one going on in
    words after it (``  <html> is not allowed here``) is an error's text quoting the tag."""
    tag = _PAGE_TAG.match(text, at)
    if not tag:
        return False
    if not tag.group().lower().startswith(_QUOTED_TAGS):  # a redirect's text follows it
        return True
    end_of_line = text.find(b"\n", at)
    line = text[at:] if end_of_line == -1 else text[at:end_of_line]
    closed = line.find(b">")
    rest = line[closed + 1:].strip()
    return closed == -1 or not rest or rest.startswith(b"<")
