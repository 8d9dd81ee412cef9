"""How commands print: JSON on stdout for machines, tqdm bars on stderr for people.

``--json`` output goes to stdout alone so a machine can read it; progress and notes go to
stderr so they never mix into it.
"""

from __future__ import annotations

import json
import math
import os
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from musicsage.commands.told_commands import in_data
from musicsage.progress import KEEP, is_wait
from musicsage.text import printable


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, the commands its message fields tell to run naming
    the library the command ran on (:func:`~musicsage.commands.told_commands.in_data`: never
    a path, a title or a name)."""
    json.dump(strict(in_data(data)), sys.stdout, indent=2, ensure_ascii=not _unicode_stdout(),
              default=str, allow_nan=False)
    sys.stdout.write("\n")


def strict(value: Any) -> Any:
    """``value`` with every number that is not finite as None (JSON's null): ``json.dump``
    wrote ``Infinity`` or ``NaN``, which strict readers (``jq``, JavaScript, Go) refuse, so a
    script read nothing — ``stats --json`` of a library whose stored metrics hold an
    infinite figure (written by an older musicsage), for one. A numpy number or array is
    made a Python one first: ``default=str`` wrote ``np.float32('nan')`` as the string
    ``"nan"``, and a numpy key made ``json.dump`` raise TypeError (keys go through
    :func:`_key`). numpy is looked for only where it was imported already (``--help`` stays
    fast)."""
    value = _python(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_key(key): strict(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(item) for item in value]
    return value


def _python(value: Any) -> Any:
    """A numpy number or array as a Python one (a ``longdouble`` stays numpy through
    ``tolist``: ``float`` it is); anything else as it is."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.floating):
        return float(value)
    if numpy is not None and isinstance(value, (numpy.generic, numpy.ndarray)):
        return value.tolist()
    return value


def _key(key: Any) -> Any:
    """A dict key as JSON can name it: a numpy scalar made a Python one, and a float that is
    not finite named as ``json`` names it ("NaN", "Infinity", "-Infinity"). Through
    :func:`strict`, a NaN key and an infinite one both became None and one entry was dropped,
    and a tuple key became an unhashable list; other keys are left to ``json``."""
    key = _python(key)
    if isinstance(key, float) and not math.isfinite(key):
        return "NaN" if math.isnan(key) else ("Infinity" if key > 0 else "-Infinity")
    return key


@contextmanager
def output_before_failure() -> Iterator[None]:
    """Around what a command prints on stdout before it fails (the candidates of an
    ambiguous QUERY): a reader that went away (``similar a | head -1``) raised
    BrokenPipeError, which ends a command quietly with 0, and the failure — its line on
    stderr, exit 1 — was lost. The rest of stdout is dropped (:func:`stdout_closed`) and the
    failure goes on as without the pipe."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        from musicsage.cli_errors import stdout_closed

        stdout_closed()


def print_json_line(data: Any) -> None:
    """One JSON object on one line, flushed: for output that streams (``scan --watch``), which
    a script reads line by line."""
    print(json.dumps(strict(in_data(data)), ensure_ascii=not _unicode_stdout(), default=str,
                     allow_nan=False), flush=True)


def _unicode_stdout() -> bool:
    """Whether stdout's encoding holds every character (UTF-8, -16, -32). Otherwise JSON is
    written as ASCII with ``\\u00e9`` escapes: raw, a name such as "東京" crashed ``--json`` on
    a cp1252 or Latin-1 stdout (a redirect on Windows), and an escape the encoding would add
    instead (``\\xe9``) is not JSON."""
    import codecs

    try:
        return codecs.lookup(sys.stdout.encoding or "ascii").name.startswith("utf")
    except (LookupError, AttributeError, TypeError):
        return False


def failure_line(path: str, message: str) -> str:
    """``PATH: reason`` for a file that failed (``embed``, ``tags --library``), the path named
    once and shown as :func:`~musicsage.library.paths.display` has it.

    A stored message starts with the file's name — its base name, or its whole path where the
    decoder says "file not found" or "a folder" — so that a list of errors by track names it;
    printed after the path it said ``/m/a.wav: /m/a.wav: file not found``, and a name that is
    not UTF-8 (stored with escapes, shown with U+FFFD) was never recognised as the same."""
    from musicsage.library.paths import display

    shown = display(path)
    for name in (path, shown, os.path.basename(path), os.path.basename(shown)):
        if message.startswith(f"{name}: "):
            message = message[len(name) + 2:]
            break
    return f"{printable(shown)}: {printable(message)}"


def tqdm_progress():
    """A progress callback that drives one tqdm bar per stage on stderr. A reader of stderr
    that went away (``musicsage scan MUSIC 2>&1 | head``) ends the bars, not the work: its
    BrokenPipeError stopped the work itself (the scan of 60 files stopped at 50 and exited
    0, as if all was done). stderr then points at /dev/null and no bar is drawn."""
    bars: dict[str, Any] = {}
    stderr_gone: list[bool] = []

    def on_progress(p) -> None:
        if not stderr_gone:
            try:
                _draw(bars, p)
            except BrokenPipeError:
                _stderr_to_devnull(stderr_gone)

    def close() -> None:
        if not stderr_gone:
            try:
                for bar in bars.values():
                    bar.close()
            except BrokenPipeError:
                _stderr_to_devnull(stderr_gone)
        bars.clear()

    on_progress.close = close  # type: ignore[attr-defined]
    return on_progress


def _draw(bars: dict[str, Any], p) -> None:
    """Show ``p`` on its stage's bar (a new stage closes the others' bars)."""
    from tqdm import tqdm

    bar = bars.get(p.stage)
    if bar is None:
        for other in bars.values():
            other.close()
        bars.clear()
        bar = bars[p.stage] = tqdm(total=p.total, desc=p.stage, file=sys.stderr,
                                   leave=False, dynamic_ncols=True)
    if p.total is not None and bar.total is None:  # the work starts: its clock too
        bar.reset(total=p.total)  # (a wait for a lock had counted as work: ETA 3 min, 6 s)
    elif p.total is not None and bar.total != p.total:
        bar.total = p.total
    bar.n = p.done
    if p.message:  # its control characters escaped; a file's path or a title elided
        bar.set_postfix_str(_postfix(p), refresh=False)
    bar.refresh()
    if p.extra.get(KEEP):  # the stage's outcome ("stopped early at …"): left standing,
        bar.leave = True  # closed now, its time not running on through the next stage
        bar.close()
        del bars[p.stage]


MESSAGE_WIDTH = 80
"""The most characters of a report's name (a path, a title) a bar shows. A track's whole
title went into its bar: ``tags --library`` wrote 10,000 characters a line for a title that
long, on a terminal and into a log alike."""


def shown_message(message: str, width: int = MESSAGE_WIDTH) -> str:
    """``message`` as a bar shows it: printable (:func:`~musicsage.text.printable`), and past
    ``width`` characters elided in the middle, its start and (longer) end kept: a path's
    folder and file name, which a terminal's cut at the right lost."""
    text = printable(message)
    if len(text) <= width:
        return text
    head = (width - 1) // 3
    return f"{text[:head]}…{text[len(text) - (width - 1 - head):]}"


def _postfix(p) -> str:
    """``p``'s message as its bar shows it: a sentence whole — a wait for another run (the
    words every lock's wait ends with) or a stage's last word (:data:`KEEP`) — and anything
    else, the file or track the stage is at, through :func:`shown_message`. Every message
    was cut to its width, and a wait read "another embedding run of t…y is running (process
    9968); waiting for it to finish"."""
    whole = is_wait(p) or p.extra.get(KEEP)
    return printable(p.message) if whole else shown_message(p.message)


def _stderr_to_devnull(gone: list[bool]) -> None:
    """stderr's reader went away: what is written there from now on is lost, not an error."""
    from musicsage.cli_errors import to_devnull

    gone.append(True)
    to_devnull(sys.stderr)  # no file descriptor (a test's capture): the bars stop all the same


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[Callable | None]:
    """``with progress_bars(not args.json) as progress:`` — tqdm bars on stderr for the
    block (closed however it ends), or None when disabled (``--json`` keeps stderr quiet)."""
    progress = tqdm_progress() if enabled else None
    try:
        yield progress
    finally:
        if progress is not None:
            progress.close()
