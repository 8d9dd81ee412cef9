"""An ``export DIR`` that fails once it has claimed DIR (a full disk, Ctrl-C) takes its claim
back (:func:`unclaimed_on_failure`): a new DIR was left holding the hidden
``.musicsage-output`` mark alone, for good, and a folder of the user's kept that mark.

Only what is the export's alone is taken back: the mark is shared with ``train --dataset …
--out DIR`` (:func:`musicsage.files.claim_output_dir`), which takes no export lock; a
training that claimed the same new DIR meanwhile, and finished there, lost its mark with the
export's, and its next run refused its own files as foreign.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from musicsage.files import OUTPUT_MARKER, marking_commands


@contextmanager
def unclaimed_on_failure(out: Path, names: Sequence[str], made: bool, marked: bool
                         ) -> Iterator[None]:
    """Take back the claim on ``out`` when the block fails and none of ``names`` is there:
    its mark, where it had none before (``marked``) and names the export alone, and the
    folder itself, where the export ``made`` it and it is empty (a stage kept by a failed
    swap, another command's files: it stays). Run under the export's lock: another export's
    claim is never taken back."""
    try:
        yield
    except BaseException:
        if not marked and marking_commands(out) == {"export"} and not any(
                os.path.lexists(out / name) for name in names):
            with suppress(OSError):
                os.unlink(out / OUTPUT_MARKER)
                if made:
                    os.rmdir(out)  # only an empty folder: anything in it is not the export's
        raise
