"""Save as playlist: "mix" typed in the dialog was written as a file "mix", which the library
did not take for a playlist (a drop or an import of it back left it out). It is written as
"mix.m3u8"; a file of that name is replaced only when the user says so (the dialog asked
about "mix", not about it)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from musicsage.library.playlists import is_playlist_file
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")


def test_a_name_typed_without_extension_is_saved_as_a_playlist(qtbot, make_window,
                                                                mapped_library, tmp_path,
                                                                monkeypatch):
    w = make_window(mapped_library)
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(mapped_library)[1].id, play=False)
    offered, asked = [], []

    def type_mix(_parent, _title, default, _filter):  # the user types "mix", presses Save
        offered.append(default)
        return str(tmp_path / "mix"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", type_mix)
    monkeypatch.setattr(w, "confirm", lambda title, text: asked.append(text) or False)

    with qtbot.waitSignal(w.notified, timeout=10_000):
        w.ask_save_playlist("graph")
    saved = tmp_path / "mix.m3u8"
    assert saved.read_text(encoding="utf-8").startswith("#EXTM3U\n#PLAYLIST:Similar to ")
    assert is_playlist_file(str(saved)) and not (tmp_path / "mix").exists()
    assert offered[0].endswith(" (graph).m3u8") and asked == []
    w.grab().save(str(tmp_path / "saved.png"))

    saved.write_text("#EXTM3U\nmy own list.flac\n", encoding="utf-8")  # the user's own
    w.ask_save_playlist("graph")
    assert asked == [f"mix.m3u8 already exists in {tmp_path}. Replace it?"]
    assert saved.read_text(encoding="utf-8") == "#EXTM3U\nmy own list.flac\n", "not replaced"
