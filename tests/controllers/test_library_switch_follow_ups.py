"""Switching library (File ▸ Open demo library) while a scan runs, or just after it ended:
the scan's next step (embedding what it added) ran on the library opened meanwhile — "Scan
finished: 4 new", then "Embeddings computed …" of the other library, whose tracks got
vectors nobody asked for, while the 4 new tracks of the user's own library got none and
nothing said so when it was shown again."""

from __future__ import annotations

import pytest

from music_support import make_music


def _other_library_and_new_music(library, make_app, tmp_path):
    """Another library (4 tracks scanned, never embedded), 4 new files for this one, and the
    app showing this one, read."""
    from musicsage.context import AppContext
    from musicsage.usecases.library import scan_library

    other_music, _, _ = make_music(tmp_path / "other", n_tracks=4, seconds=1.0, seed=3)
    other = AppContext.create(tmp_path / "other-data")
    scan_library(other, [str(other_music)], [])
    new_music, _, _ = make_music(tmp_path / "new", n_tracks=4, seconds=1.0, seed=5)
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    return other, new_music, app, runner


@pytest.mark.parametrize("when", ["scan running", "scan ended, its read pending"])
def test_a_scans_follow_ups_stay_with_its_library(library, make_app, tmp_path, when):
    other, new_music, app, runner = _other_library_and_new_music(library, make_app, tmp_path)
    app.library.scan([str(new_music)])
    if when != "scan running":
        scan = runner.queue.pop(0)
        assert scan.name == "Scanning"
        scan.execute()  # its summary is said, its read of the library queued
    app.set_context(other)
    app.library.reload()
    runner.drain()
    assert "Computing embeddings" not in runner.ran, "nothing started on the other library"
    assert any(text.startswith("Scan finished") and ": 4 new" in text  # (its library named
               for _lvl, text in app.notifications)  # when it ended after the switch)
    assert app.library.snapshot.embedded == 0 and app.library.snapshot.stats.tracks.present == 4

    app.set_context(library)  # back home: the 4 tracks without a vector are said
    app.library.reload()
    runner.drain()
    assert app.library.snapshot.stats.tracks.present == 16
    assert app.notifications[-1] == (
        "info", "4 tracks still lack an audio embedding, so the map leaves them out: "
                "Analyse ▸ Compute embeddings")


def test_a_run_waiting_on_the_old_librarys_embedding_does_not_start_on_the_new_one(
        library, make_app, tmp_path):
    """A scan's embedding waits for the run going (:meth:`LibraryController.embed_soon`);
    that run ended after File ▸ Open demo library, and the wait ran on the demo."""
    other, new_music, app, runner = _other_library_and_new_music(library, make_app, tmp_path)
    app.library.scan([str(new_music)])
    runner.queue.pop(0).execute()  # scanned: its read of the library is queued
    app.library.embed("spectral")  # Compute embeddings, pressed meanwhile
    runner.queue.pop(0).execute()  # the read: the scan's embedding waits for that run
    assert app.library.embedding
    app.set_context(other)
    app.library.reload()
    runner.drain()
    # (its name says its library once another is shown: what its failure would start with)
    embeddings = [name for name in runner.ran if name.startswith("Computing embeddings")]
    assert len(embeddings) == 1, "the one pressed, on its library"
    assert app.library.snapshot.embedded == 0 and app.library.snapshot.stats.tracks.present == 4
