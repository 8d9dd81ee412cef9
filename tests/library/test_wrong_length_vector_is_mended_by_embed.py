"""A stored audio vector whose blob is a whole number of float32s but not the ``dim`` its row
declares (12 bytes beside a ``dim`` of 16: a damaged database, a tool that wrote into it) is
read as damaged by every search and training. ``stats``, ``embed`` and ``train`` compared the
length only with a whole float, so ``stats`` counted no damage, ``embed`` said nothing to
embed and ``train`` refused, sending the user to that ``embed``: round for ever. Every check of
damage now compares the blob with ``dim``: ``stats`` counts it, ``embed`` redoes it, ``train``
goes on."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "search"))
from search_helpers import AUDIO_MODEL, Library  # noqa: E402

from musicsage import cli  # noqa: E402
from musicsage.library.db import connect  # noqa: E402


def test_a_wrong_length_vector_is_counted_redone_and_trained_on(two_models, capsys):
    ctx, _first, _second = two_models
    data = ["--data-dir", str(ctx.data_dir)]
    conn = connect(ctx)
    # the last track: every copy of the library reads the template's audio files (only the
    # data dir is copied), and another test may rewrite the first one's, which embed reads
    tid, dim = conn.execute("SELECT track_id, dim FROM audio_embeddings ORDER BY track_id"
                            " DESC LIMIT 1").fetchone()
    assert dim != 16  # the row says 16 floats; its blob holds 3
    conn.execute("UPDATE audio_embeddings SET vector = ?, dim = 16 WHERE track_id = ?",
                 (np.ones(3, "<f4").tobytes(), tid))

    assert cli.main([*data, "stats"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("embeddings"))
    # the words train uses for it too: no "NaN or infinite values" alone, untrue of it
    assert "(1 damaged: NaN or infinite values, or the wrong length)" in line, line

    assert cli.main([*data, "embed"]) == 0
    out = capsys.readouterr().out
    assert ("re-analysing 1 track whose stored vector was damaged (NaN or infinite values, "
            "or the wrong length)") in out, out
    assert conn.execute("SELECT dim, length(vector) FROM audio_embeddings WHERE track_id = ?",
                        (tid,)).fetchone()[:] == (dim, 4 * dim)

    assert cli.main([*data, "train", "--max-steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out and "damaged" not in out, out


def test_a_wrong_length_vector_no_embed_can_mend_is_left_out_and_dropped(ctx, tmp_path):
    """The same check in the other questions asked of damage: a missing track's wrong-length
    vector is one training leaves out, and an embed that fails on a track drops it."""
    from musicsage.library.damaged_vectors import drop_damaged_vector, left_out_for_damage

    library = Library(ctx, tmp_path / "music")
    library.add(3)
    library.embed(np.ones((3, 4), np.float32))
    damaged, whole = library.ids[0], library.ids[1]
    library.conn.execute("UPDATE audio_embeddings SET vector = ? WHERE track_id = ?",
                         (np.ones(2, "<f4").tobytes(), damaged))  # 2 floats of a dim of 4
    for track_id in library.ids:
        library.set_missing(track_id)
    assert left_out_for_damage(library.conn, AUDIO_MODEL, library.ids).tolist() == [damaged]
    assert not drop_damaged_vector(library.conn, whole, AUDIO_MODEL)
    assert drop_damaged_vector(library.conn, damaged, AUDIO_MODEL)
