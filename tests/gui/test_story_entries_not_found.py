"""The playlist entries an import could not find are named in the scan line's tooltip, as
``scan --playlists`` names them: the window only counted them ("2 entries not found")."""

from __future__ import annotations

from gui_support import settle
from music_support import make_music


def test_the_scan_tooltip_names_the_entries_not_found(qtbot, make_window, ctx, tmp_path):
    music, _lists, paths = make_music(tmp_path / "src", n_tracks=4)
    mix = tmp_path / "Mixed bag.m3u"
    mix.write_text("\n".join([str(paths[0]), "http://radio.example/stream",
                              str(music / "gone" / "track.flac"), str(paths[1])]) + "\n",
                   encoding="utf-8")
    w = make_window(ctx)
    w.app.library.scan([str(music)], playlists=[str(mix)])
    bar = w.statusBar()
    seen = []  # the scan line's tooltip, as shown (the embedding's line follows)
    w.app.notified.connect(lambda _level, text, _details: seen.append(bar.toolTip())
                           if text.startswith("Scan finished") else None)
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    tip = seen[0]
    settle(qtbot, w)
    assert tip.startswith("Scan finished: 4 new, 1 playlist imported (2 entries not found)")
    assert "Entries not found (2):" in tip
    assert "Mixed bag #2: http://radio.example/stream (" in tip
    assert "Mixed bag #3: " in tip and "track.flac" in tip
