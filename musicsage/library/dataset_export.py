"""What ``export`` (:mod:`musicsage.library.dataset`) must write so that its readers get the
library back as it was: every cell whole, and only vectors they accept.

- A cell holding a carriage return (a title, a playlist name, a file name: Linux allows one)
  was written unquoted: Python's CSV writer quotes the line ending it writes (``\\n``) and
  not a lone ``\\r``, where every reader (``import``, ``train --dataset``, a spreadsheet)
  ends the row. ``Late\\rNight`` came back as the playlist ``Late``, with a note of a
  playlist ``Night`` that had no members; a path cut in two made a missing track and a
  made-up one from the rest of its row. :func:`csv_text` quotes such a cell.
- A damaged stored vector (NaN or infinite values, or cut short: read as NaN) went into
  ``features.npy``, and both readers refused the whole folder (``features must be finite
  numbers``) — found at the import, when the library it came from may be gone.
  :func:`finite_rows` leaves such tracks out, as it leaves out those without a vector, and
  says so; when every vector is damaged it refuses the export before anything is written
  (it wrote an export of 0 tracks over the earlier one, exit 0).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import numpy as np

from musicsage.errors import MusicsageError
from musicsage.library.damaged_vectors import DAMAGE_WORDS
from musicsage.text import counted, noun


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """``header`` and ``rows`` as CSV text, each row ending ``\\n``, a cell holding ``\\n``,
    ``\\r``, a comma or a quote quoted (written one row at a time through a writer ending
    rows with ``\\r\\n``, which quotes both, then ended with ``\\n`` as exports always were)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in (header, *rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def finite_rows(tracks: list, matrix: np.ndarray, model: str, report
                ) -> tuple[list, np.ndarray]:
    """``tracks`` and their rows of ``matrix`` without those whose vector is not finite;
    ``report`` (a ``DatasetReport``) counts them as left out, with a note saying why and
    what mends them (``embed`` analyses again a damaged vector of a track with its file).
    Every one damaged is refused (:class:`MusicsageError`), before the caller claims the
    export's folder: an export of no track would replace a good earlier one there."""
    whole = np.isfinite(matrix).all(axis=1)
    damaged = int(len(whole) - whole.sum())
    if not damaged:
        return tracks, matrix
    if damaged == len(whole):
        raise MusicsageError(f"every {model} vector is damaged ({DAMAGE_WORDS}): run "
                             "`musicsage embed`, then export again; nothing was written")
    report.skipped_tracks += damaged
    report.features = (int(whole.sum()), int(matrix.shape[1]))
    report.notes.append(f"{counted(damaged, 'track')} whose {model} "
                        f"{noun(damaged, 'vector is', 'vectors are')} damaged ({DAMAGE_WORDS}) "
                        f"{noun(damaged, 'was', 'were')} left out (`musicsage embed` analyses "
                        "the tracks of audio files again; then export again)")
    return [t for t, ok in zip(tracks, whole) if ok], matrix[whole]
