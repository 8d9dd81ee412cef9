"""How commands print: JSON on stdout for machines, tqdm bars on stderr for people.

``--json`` output goes to stdout alone so a machine can read it; progress and notes go to
stderr so they never mix into it.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from musicsage.progress import KEEP
from musicsage.text import printable


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=not _unicode_stdout(), default=str)
    sys.stdout.write("\n")


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
    print(json.dumps(data, ensure_ascii=not _unicode_stdout(), default=str), flush=True)


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
    """A progress callback that drives one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def on_progress(p) -> None:
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
        if p.message:  # often a file's path: its control characters escaped
            bar.set_postfix_str(printable(p.message), refresh=False)
        bar.refresh()
        if p.extra.get(KEEP):  # the stage's outcome ("stopped early at …"): left standing,
            bar.leave = True  # closed now, its time not running on through the next stage
            bar.close()
            del bars[p.stage]

    def close() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    on_progress.close = close  # type: ignore[attr-defined]
    return on_progress


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
