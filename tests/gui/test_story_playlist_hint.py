"""After Add music folder, the playlist files a scan found there and did not import are said
in the empty playlist list for as long as it is empty (the status line's hint was cut off at
1366 px and gone after 15 s); a click on that row opens Import playlists, and the row is gone
once playlists are imported."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gui_support import settle
from music_support import make_music


def test_the_empty_playlist_list_offers_the_playlist_files_found(qtbot, make_window, ctx,
                                                                 tmp_path, monkeypatch):
    music, _lists, paths = make_music(tmp_path / "src", n_tracks=8)
    inside = music / "Playlists"
    inside.mkdir()
    for j in range(3):
        (inside / f"Mix {j}.m3u").write_text("\n".join(str(p) for p in paths[j::2]) + "\n",
                                             encoding="utf-8")
    w = make_window(ctx)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(music))
    w.ask_add_folder()
    box = w.library.playlist_box
    qtbot.waitUntil(lambda: box.import_hint is not None, timeout=60_000)
    settle(qtbot, w)
    hint = box.import_hint
    assert hint.text() == ('3 playlist files in your music folders — <a href="import">Import '
                           'playlists…</a>')
    assert hint.heightForWidth(hint.width()) <= hint.height()  # wrapped whole, not cut
    assert "Import playlists" in hint.toolTip()

    w.app.library.scan([str(music)])  # a plain rescan (it tells nothing): the hint stays
    settle(qtbot, w)
    assert box.import_hint is not None

    chosen = sorted(str(p) for p in inside.iterdir())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen, ""))
    box.import_hint.linkActivated.emit("import")  # its link clicked
    qtbot.waitUntil(lambda: box.list.count() == 3 and box.import_hint is None, timeout=60_000)
    settle(qtbot, w)
    assert [box.list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(3)] == [
        "Mix 0", "Mix 1", "Mix 2"]
