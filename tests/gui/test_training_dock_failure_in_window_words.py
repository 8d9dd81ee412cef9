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


def test_a_refused_retrain_says_why_in_the_windows_words(qtbot, make_window, library):
    w = make_window(library, train_options={"max_steps": 5})
    settle(qtbot, w, timeout=120_000)
    # a terminal emptied the playlists after the window read the library: Retrain still
    # lets the run start, and the use case refuses it with the command line's hint
    conn = sqlite3.connect(library.data_dir / "library.sqlite3")
    with conn:
        conn.execute("DELETE FROM playlist_entries")
    conn.close()
    with qtbot.waitSignal(w.training_finished, timeout=120_000) as done:
        w.app.training.start()
    assert done.args == ["failed"]
    settle(qtbot, w, timeout=120_000)
    status = w.training.panel.status
    line, tip = status.text(), status.toolTip()
    assert line.startswith("Training failed: the graph model needs playlists"), line
    assert "File ▸ Import playlists…" in line, line
    for text in (line, tip):
        assert "`" not in text and "musicsage scan" not in text, text
