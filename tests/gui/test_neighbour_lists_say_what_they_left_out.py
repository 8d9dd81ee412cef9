"""The line under the neighbour lists says what a full list left out, as `similar` does.

`similar` prints beside its lists the tracks the audio space left out (vectors made with other
analysis settings: an embed cut short after they changed) and the missing files that would
have ranked. The window showed only the notes of empty lists: its full lists left those
tracks out without a word, so a track the user knew was close was simply not there."""

from __future__ import annotations

from pathlib import Path

from musicsage.gui.neighbours import LEGEND, NeighboursPanel
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.embedding import embed_library
from musicsage.usecases.library import list_tracks, scan_library
from musicsage.usecases.search import similar_tracks


def _panel(qtbot, result) -> NeighboursPanel:
    panel = NeighboursPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show_result(result, {})
    return panel


def _versions(ctx) -> tuple[set[int], set[int]]:
    """(the tracks of the version searched, those of the other one)."""
    by_version: dict[str, set[int]] = {}
    for track_id, version in q.embedding_versions(connect(ctx), "spectral").items():
        by_version.setdefault(version, set()).add(track_id)
    most, other = sorted(by_version.values(), key=len, reverse=True)
    return most, other


def test_tracks_of_other_analysis_settings_are_said_under_a_full_list(qtbot, library):
    ctx = library
    embed_library(ctx, max_seconds=0.5, limit=2)  # a re-analysis cut short
    most, other = _versions(ctx)
    assert len(other) == 2

    result = similar_tracks(ctx, min(most), 10)
    panel = _panel(qtbot, result)

    assert result.audio and not {r["track_id"] for r in result.audio} & other
    key = panel.legend.text()
    assert key.startswith(LEGEND)
    assert "Audio only: 2 tracks left out: their spectral vectors were made with other " \
           "analysis settings" in key
    assert "Analyse ▸ Compute embeddings analyses them again" in key, "the window's words"
    assert "musicsage embed" not in key


def test_missing_files_a_full_list_left_out_are_counted(qtbot, library):
    ctx = library
    tracks = list_tracks(ctx)
    query, gone = tracks[0], tracks[1]
    Path(gone.path).unlink()  # a file deleted, then the folder scanned again
    scan_library(ctx, [str(Path(query.path).parent)])

    result = similar_tracks(ctx, query.id, 10)
    panel = _panel(qtbot, result)

    assert result.audio and result.skipped_missing.get("audio") == 1
    assert "Audio only: 1 missing file left out" in panel.legend.text()


def test_a_full_list_that_left_nothing_out_shows_the_key_alone(qtbot, library):
    result = similar_tracks(library, list_tracks(library)[0].id, 3)
    panel = _panel(qtbot, result)

    assert result.audio and panel.legend.text() == LEGEND
