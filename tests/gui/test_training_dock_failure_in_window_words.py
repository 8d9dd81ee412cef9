"""Task training: a Retrain that the use case refuses says why in the dock in the window's
words. The dock's "Training failed: …" line showed the command line's hint as it was
("import some with `musicsage scan --playlists PATH`"), while the error notification beside
it said "import some (File ▸ Import playlists…)"."""

from __future__ import annotations

import sqlite3

import pytest

from gui_support import settle
from models_support import copy_library

pytestmark = pytest.mark.usefixtures("shared_helper")


@pytest.fixture
def library(embedded_72_template, tmp_path):
    return copy_library(embedded_72_template, tmp_path)


RACES = {  # what a terminal did to the playlists after the window read the library
    "emptied": ("DELETE FROM playlist_entries", "File ▸ Import playlists…"),
    # each entry alone in a playlist of its own: no playlist holds two tracks
    "one track each": ("INSERT INTO playlists(id, path, name) SELECT 1000 + rowid, "
                       "'solo' || rowid || '.m3u8', 'solo' || rowid FROM playlist_entries; "
                       "UPDATE playlist_entries SET playlist_id = 1000 + rowid, position = 0; "
                       "DELETE FROM playlists WHERE id < 1000",
                       "(or, on the command line, train with --objective dgi, which needs "
                       "none: the window's Retrain has no such setting)"),
    # every entry's track gone from the library's view: entries that match no track
    "unresolved": ("UPDATE playlist_entries SET track_id = NULL",
                   "none of its tracks. Rescan the folders they point to, or check the paths "
                   "in the playlists"),
}


@pytest.mark.parametrize("race", list(RACES))
def test_a_refused_retrain_says_why_in_the_windows_words(qtbot, make_window, library, race):
    """Each refusal's hint in the window's words: after one-track playlists the dock offered
    "(or train with --objective dgi, which needs none)", a choice the window's Retrain does not
    have, and after entries that match no track "(`musicsage scan`)"."""
    sql, hint = RACES[race]
    w = make_window(library, train_options={"max_steps": 5})
    settle(qtbot, w, timeout=120_000)
    # Retrain still lets the run start, and the use case refuses it with the command line's
    # hint
    conn = sqlite3.connect(library.data_dir / "library.sqlite3")
    with conn:
        conn.executescript(sql)
    conn.close()
    with qtbot.waitSignal(w.training_finished, timeout=120_000) as done:
        w.app.training.start()
    assert done.args == ["failed"]
    settle(qtbot, w, timeout=120_000)
    status = w.training.panel.status
    line, tip = status.text(), status.toolTip()
    assert line.startswith("Training failed: the graph model needs playlists"), line
    assert hint in line, line
    for text in (line, tip):
        assert "`" not in text and "musicsage " not in text, text
