"""Bad input dropped on (or met by) the window is named in one readable line: which file, and
why — never a bare count the user cannot act on, never a note replaced before it is read."""

from __future__ import annotations

from gui_support import settle
from music_support import make_music


def test_a_track_that_fails_to_embed_is_named_as_a_warning(qtbot, make_window, library, tmp_path):
    """A file readable when scanned but damaged before Compute embeddings: the status line
    said "…, 1 failed" as plain info — no file name, no reason, gone in 8 s."""
    from musicsage.usecases.library import scan_library

    more, _pl, paths = make_music(tmp_path / "more", n_tracks=2, seed=5)
    scan_library(library, [str(more)], [])
    broken = sorted(more.rglob("*.*"))[0]
    broken.write_bytes(b"not audio any more " * 100)
    w = make_window(library)
    w.app.library.embed_model = "spectral"
    seen = []
    w.app.notified.connect(lambda level, text, *_: seen.append((level, text)))
    w.actions_.embed.trigger()
    qtbot.waitUntil(lambda: any(t.startswith("Embeddings computed") for _l, t in seen),
                    timeout=60_000)
    level, text = next((lv, t) for lv, t in seen if t.startswith("Embeddings computed"))
    assert "1 failed" in text and broken.name in text, text
    assert level == "warning"
    assert broken.name in w.statusBar().currentMessage()


def drop_on(w, paths) -> None:
    """Drag ``paths`` over the window and drop them, as a file manager does."""
    from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    for cls in (QDragEnterEvent, QDropEvent):
        event = cls(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(w, event)


def scan_summary(qtbot, seen) -> tuple[str, str]:
    qtbot.waitUntil(lambda: any(t.startswith("Scan finished") for _l, t in seen), timeout=30_000)
    return next((lv, t) for lv, t in seen if t.startswith("Scan finished"))


def test_a_stray_file_in_a_drop_is_still_named_after_the_scan(qtbot, make_window, library,
                                                               tmp_path):
    """The "Left out: notes.txt" warning was replaced 0.1 s later by the scan's summary:
    the user never learnt that a dropped file was not added."""
    more, _pl, _paths = make_music(tmp_path / "more", n_tracks=2, seed=6)
    stray = tmp_path / "notes.txt"
    stray.write_text("not music")
    w = make_window(library)
    w.app.library.embed_model = "spectral"
    seen = []
    w.app.notified.connect(lambda level, text, *_: seen.append((level, text)))
    drop_on(w, [more, stray])
    level, text = scan_summary(qtbot, seen)
    assert "2 new" in text and "notes.txt" in text and level == "warning", text
    settle(qtbot, w)


def test_a_dropped_path_gone_meanwhile_does_not_fail_the_drop(qtbot, make_window, library,
                                                              tmp_path):
    """A file deleted between drag and drop made the whole scan fail ("no such file or
    folder", an error box) and the folder dropped with it was not added."""
    more, _pl, _paths = make_music(tmp_path / "more", n_tracks=2, seed=7)
    gone = tmp_path / "gone.ogg"
    w = make_window(library)
    w.app.library.embed_model = "spectral"
    before = w.app.library.snapshot.stats.tracks.total
    seen = []
    w.app.notified.connect(lambda level, text, *_: seen.append((level, text)))
    drop_on(w, [more, gone])
    level, text = scan_summary(qtbot, seen)
    assert "2 new" in text and "gone.ogg" in text and level == "warning", text
    assert not any(lv == "error" for lv, _t in seen), seen
    settle(qtbot, w)
    assert w.app.library.snapshot.stats.tracks.total == before + 2


def test_the_scan_lines_tooltip_lists_every_unreadable_file_and_note(qtbot, make_window,
                                                                      library, tmp_path):
    """The line names the first of each kind ("3 unreadable (broken0.ogg: …; 2 more)"); its
    tooltip said the same, so the user could not learn which other files to look at."""
    import shutil

    more, _pl, paths = make_music(tmp_path / "more", n_tracks=2, seed=8)
    broken = [more / f"broken{i}.ogg" for i in range(3)]
    for path in broken:
        path.write_bytes(b"not audio " * 50)
    renamed = [p.with_name(p.stem + " copy.mp3") for p in paths]  # FLAC under .mp3: a note
    for src, dst in zip(paths, renamed):
        shutil.copy(src, dst)
    w = make_window(library)
    w.app.library.embed_model = "spectral"
    seen = []
    w.app.notified.connect(lambda level, text, *_: seen.append((level, text)))
    w.app.library.scan([str(more)])
    level, text = scan_summary(qtbot, seen)
    assert "3 unreadable" in text and "2 notes" in text and level == "warning", text
    tip = w.statusBar().toolTip()
    assert tip.startswith(text + "\n\n"), tip
    for path in broken + renamed:
        assert f"\n  {path.name}: " in tip, (path.name, tip)
    settle(qtbot, w)
