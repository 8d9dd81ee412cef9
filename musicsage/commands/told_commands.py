"""The commands a line of the command line tells the user to run, on the library it ran on.

A failure line, a note or a progress bar of ``musicsage --data-dir L COMMAND`` may tell the
user to run another command ("run `musicsage embed`", "`musicsage train` makes another").
Most of these words are written once, in the use cases, for the window too, which has no
``--data-dir``; pasted as told, such a command worked on the default library, not L (it
embedded or trained the wrong one). Here, while :func:`musicsage.cli.main` runs, what it
writes on stderr (and the message fields of its ``--json`` output) has each backticked
``musicsage …`` command, and the two hints of :mod:`musicsage.errors`, carry
``--data-dir L`` (:func:`~musicsage.context.library_option`): one place for those messages.
A command that already names a library (``--data-dir`` anywhere in its backticks) is left
as it is, and so is everything when L is the default library.

Data is never rewritten: stdout is left as written (a listing's rows name the user's files and
titles — a folder named "`musicsage embed` band" would have been changed in them), the print
sites that tell a command there add the option themselves (:func:`on_library`,
:func:`~musicsage.context.library_option`), and of ``--json`` output only the fields holding
the command line's own words (:data:`_MESSAGE_KEY`) are changed. A path quoted in such a
message whose folder's name begins "`musicsage " is left as it is (:data:`_TOLD` takes a
command's backtick only at a word's start); the one accepted limit: a name with a space
before "`musicsage " in it, or a title quoted so, is changed with the message.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from musicsage.context import library_option
from musicsage.errors import EMBED_HINT, TRAIN_HINT, MusicsageError

_TOLD = re.compile(r"(?<![^\s(])`musicsage (?![^`]*--data-dir)")
"""A backticked command that names no library: up to its closing backtick, no --data-dir;
its backtick at the start of a line or after a space or "(" — a folder named
"`musicsage embed` band" in a path (after a "/") is a name, not a command told."""

_HINTS = (EMBED_HINT, TRAIN_HINT)
"""Commands told without backticks, in words the window shares (``or musicsage embed``)."""

_MESSAGE_KEY = re.compile(r"(^|_)(notes?|errors?|reasons?|hints?|advice|warnings?|problem|message"
                          r"|skipped|no_vector|reanalysis|nothing_to_do|removed_meanwhile)$")
"""A ``--json`` key whose strings (its own, or those of its list or dict) are the command
line's own words: a note, a failure's reason, a hint. Any other string (a path, a title, a
name, a URI, a neighbour's ``why``) is data."""


class _Told:
    """What this run's lines add to the commands they tell: the ``--data-dir DIR `` of the
    library it ran on ("" for the default one, or before the command line is read)."""

    option = ""


def ran_on(data_dir: "str | os.PathLike[str] | None") -> None:
    """Record the ``--data-dir`` the command was given, as read from its command line. A data
    dir that cannot be read (a ``file://`` URI of another machine) adds nothing: the command
    is refused for it anyway."""
    try:
        _Told.option = library_option(data_dir)
    except (MusicsageError, OSError, ValueError, RuntimeError):
        _Told.option = ""


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
    """``value`` (``--json`` output) with :func:`on_library` applied to the strings of its
    message fields (:data:`_MESSAGE_KEY`), at any depth: a field that holds a command a script
    shows its user names the library the script used, as the text output does. A path, a
    title or a name is never changed (``--data-dir`` pushed into a file's path named a file
    that is not there); with the default library, ``value`` itself is given back."""
    if not _Told.option:
        return value
    if isinstance(value, dict):
        return {key: _message(item) if isinstance(key, str) and _MESSAGE_KEY.search(key)
                else in_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [in_data(item) for item in value]
    return value


def _message(value: Any) -> Any:
    """A message field's value, told on the library: a string; each of a dict's (``notes``:
    the note of each space); each string of a list — a record in a list (``skipped``: a
    path and a reason) read as data again."""
    if isinstance(value, str):
        return on_library(value)
    if isinstance(value, dict):
        return {key: _message(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [in_data(item) if isinstance(item, dict) else _message(item) for item in value]
    return value


class _Rewritten:
    """stderr, its writes going through :func:`on_library` (failure lines, notes, warnings,
    progress bars); everything else (flush, fileno, isatty, encoding: what tqdm and the
    closed-pipe handling ask) is the stream's. stdout is never wrapped: it holds data."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text``, its commands naming the library; the count is of ``text`` as
        given, as the caller (``print``) expects."""
        self._stream.write(on_library(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def told_on_library() -> Iterator[None]:
    """Around a command's run: its stderr rewritten (:class:`_Rewritten`) until it ends, its
    failure line included; then stderr, and the library recorded, are as before — the outer
    run's, where ``main`` runs inside another (the tests call it many times in one process)."""
    saved, option = sys.stderr, _Told.option
    if saved is not None:
        sys.stderr = _Rewritten(saved)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stderr, _Told.option = saved, option
