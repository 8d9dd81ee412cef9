"""Whether a weight download's answer is a web page — a captive portal's login page, a proxy's
refusal, served with status 200 in the file's place — and the words for it. Running such a
download again only fetches the page again, so it is said as a page ("a network that wants a
login first?"), not as a damaged download.

Told by the answer's start alone. The warning before a login page may be in any 8-bit
charset (a PHP portal on an old server writes Latin-1 or cp1251), not only UTF-8: such a page
was "no gzip file" or a "corrupted or substituted download". The answer's ``Content-Type``
decides nothing: Flask, Express and PHP label a JSON or text error ``text/html``, and an
XHTML login page comes as ``text/xml``; each rule built on it called some error a page or
some page an error."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

PAGE_HEAD_BYTES = 4096
"""How much of an answer past its prologue :func:`is_web_page` looks at (PHP warnings first)."""
PAGE_SCAN_BYTES = 64 << 10
_PROLOGUE = re.compile(rb"(?:\s+|\xef\xbb\xbf|<!--.*?-->|<\?.*?\?>)*", re.S)
_PAGE_TAG = re.compile(rb"<(?:html|head|script)[\s>]|<!doctype\s+html"
                       rb"|<meta\s[^>]*http-equiv\s*=\s*['\"]?refresh", re.I)
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


def came_instead(path: Path, otherwise: str) -> str:
    """What the downloaded file at ``path``, which did not verify, was, in a few words after
    "does not match …": a web page (a wifi's login page, a proxy's refusal, served with
    status 200) was called a "corrupted or substituted download", and running it again only
    fetched the page again. ``otherwise`` for anything else."""
    try:
        with open(path, "rb") as downloaded:
            head = downloaded.read(PAGE_SCAN_BYTES)
    except OSError:
        return otherwise
    if is_web_page(head):
        return "the answer is a web page, not the file: a network that wants a login first?"
    return otherwise


def is_web_page(head: bytes) -> bool:
    """Whether an answer starting with ``head`` is a web page (HTML): past BOMs (UTF-16 read
    as such), blanks, comments and an XML declaration within :data:`PAGE_SCAN_BYTES`, its
    first ``<`` opens a line after text only (a PHP warning, in any 8-bit charset: control
    bytes are no text), and an ``<html>``, ``<head>``, ``<script>``, ``<!doctype html`` or
    refresh ``<meta>`` is in its next :data:`PAGE_HEAD_BYTES`; an XML ``<header>``, an
    error quoting ``<html>`` within a line, gzip: no page. An indented line is one only where
    it opens with a page's tag, whatever follows it (an error's text after an indented
    ``<html>`` too: the start cannot tell them apart). The answer's Content-Type decides
    nothing (see the module's text)."""
    head = head[:PAGE_SCAN_BYTES]  # a whole download may be given: not copied whole
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("ascii", "replace")
    head = head.removeprefix(codecs.BOM_UTF8)
    start = prologue.end() if (prologue := _PROLOGUE.match(head)) else 0
    text = head[start:start + PAGE_HEAD_BYTES]
    before = text[:max(text.find(b"<"), 0)]
    opens = not before or before.endswith(b"\n") or (  # indented: only a page's own tag
        before.rstrip(b" \t").endswith(b"\n") and _PAGE_TAG.match(text, len(before)))
    return bool(opens) and not _NOT_TEXT.search(before) and bool(_PAGE_TAG.search(text))
