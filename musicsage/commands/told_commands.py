"""The commands a line of the command line tells the user to run, on the library it ran on.

A failure line, a note or a progress bar of ``musicsage --data-dir L COMMAND`` may tell the
user to run another command ("run `musicsage embed`", "`musicsage train` makes another").
Most of these words are written once, in the use cases, for the window too, which has no
``--data-dir``; pasted as told, such a command worked on the default library, not L (it
embedded or trained the wrong one). Here, while :func:`musicsage.cli.main` runs, what it
writes on stderr and stdout (and the strings of its ``--json`` output) has each backticked
``musicsage …`` command, and the two hints of :mod:`musicsage.errors`, carry
``--data-dir L`` (:func:`~musicsage.context.library_option`): one place for every message.
A command that already names a library (``--data-dir`` anywhere in its backticks) is left
as it is, and so is everything when L is the default library.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from musicsage.context import library_option
from musicsage.errors import EMBED_HINT, TRAIN_HINT, MusicsageError

_TOLD = re.compile(r"`musicsage (?![^`]*--data-dir)")
"""A backticked command that names no library: up to its closing backtick, no --data-dir."""

_HINTS = (EMBED_HINT, TRAIN_HINT)
"""Commands told without backticks, in words the window shares (``or musicsage embed``)."""


class _Told:
    """What this run's lines add to the commands they tell: the ``--data-dir DIR `` of the
    library it ran on ("" for the default one, or before the command line is read), and
    whether stdout is text: ``--json`` output is changed as data, never as its text (a
    quoted folder written into it could break the JSON). An M3U on stdout (``--m3u -``)
    is written as bytes to its buffer, past this."""

    option = ""
    text_stdout = True


def ran_on(data_dir: "str | os.PathLike[str] | None", *, json_output: bool = False) -> None:
    """Record the ``--data-dir`` the command was given, as read from its command line, and
    whether its stdout is JSON. A data dir that cannot be read (a ``file://`` URI of another
    machine) adds nothing: the command is refused for it anyway."""
    try:
        _Told.option = library_option(data_dir)
    except (MusicsageError, OSError, ValueError, RuntimeError):
        _Told.option = ""
    _Told.text_stdout = not json_output


def on_library(text: str) -> str:
    """``text`` with the commands it tells the user to run naming this run's library."""
    option = _Told.option
    if not option or "musicsage " not in text:
        return text
    text = _TOLD.sub(lambda _m: f"`musicsage {option}", text)
    for hint in _HINTS:
        text = text.replace(hint, hint.replace("musicsage ", f"musicsage {option}"))
    return text


def in_data(value: Any) -> Any:
    """``value`` (``--json`` output) with :func:`on_library` applied to each string in it:
    a field that holds a command a script shows its user names the library the script used,
    as the text output does."""
    if isinstance(value, str):
        return on_library(value)
    if isinstance(value, dict):
        return {key: in_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [in_data(item) for item in value]
    return value


class _Rewritten:
    """A text stream whose writes go through :func:`on_library`; everything else (flush,
    fileno, isatty, encoding: what tqdm and the closed-pipe handling ask) is the stream's."""

    def __init__(self, stream: TextIO, stdout: bool) -> None:
        self._stream = stream
        self._stdout = stdout

    def write(self, text: str) -> int:
        """Write ``text``, its commands naming the library; the count is of ``text`` as
        given, as the caller (``print``) expects."""
        told = text if self._stdout and not _Told.text_stdout else on_library(text)
        self._stream.write(told)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def told_on_library() -> Iterator[None]:
    """Around a command's run: its stdout and stderr rewritten (:class:`_Rewritten`) until
    it ends, its failure line included; then the streams, and "no library yet", are as
    before (the tests call ``main`` many times in one process)."""
    saved = sys.stdout, sys.stderr
    if saved[0] is not None:
        sys.stdout = _Rewritten(saved[0], stdout=True)  # type: ignore[assignment]
    if saved[1] is not None:
        sys.stderr = _Rewritten(saved[1], stdout=False)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        _Told.option, _Told.text_stdout = "", True
