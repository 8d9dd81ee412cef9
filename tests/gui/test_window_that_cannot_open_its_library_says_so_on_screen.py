"""A window that cannot open its library says why on screen, not only on stderr.

Started from the desktop's menu, stderr goes nowhere a user looks: with a default data dir
that cannot be entered or made, the window just never came. The line still goes to stderr
(a terminal, the journal); where there is a screen, a message box says it too. With no
screen (``--screenshot``, offscreen) only the line: a box would wait for a click for ever.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from musicsage.gui.opening_page import say_cannot_start

LINE = ("musicsage: cannot open the library: cannot create the library folder "
        "/home/me/.local/share/musicsage (Not a directory)")


def test_with_a_screen_a_message_box_says_the_line(qtbot, capsys):
    seen: list[tuple[str, str]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return QTimer.singleShot(20, read_and_close)
        seen.append((box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(0, read_and_close)
    say_cannot_start(LINE, on_screen=True)
    assert seen == [("musicsage", "Cannot open the library: cannot create the library folder "
                                  "/home/me/.local/share/musicsage (Not a directory)")]
    assert capsys.readouterr().err == LINE + "\n", "the terminal and the journal get it too"


def test_with_no_screen_the_line_alone(qtbot, capsys):
    assert QApplication.instance().platformName() == "offscreen"
    say_cannot_start(LINE)  # would wait for ever on a box nobody sees
    assert capsys.readouterr().err == LINE + "\n"
    assert QApplication.activeModalWidget() is None


def test_the_window_says_it_through_the_box_and_a_screenshot_never_waits_on_one(
        qtbot, tmp_path, monkeypatch):
    from musicsage.gui import app as gui_app
    from musicsage.gui import opening_page

    said: list[tuple[str, bool | None]] = []
    monkeypatch.setattr(opening_page, "say_cannot_start",
                        lambda line, *, on_screen=None: said.append((line, on_screen)))
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_text("a file where the data dir should be")
    data_dir = str(in_the_way / "library")
    assert gui_app.main(["--data-dir", data_dir]) == 1
    assert gui_app.main(["--data-dir", data_dir, "--screenshot", str(tmp_path / "x.png")]) == 1
    assert [on for _, on in said] == [None, False], "a box where there is a screen, never for a PNG"
    assert all(line.startswith("musicsage: cannot open the library: ") for line, _ in said)
    assert in_the_way.read_text() == "a file where the data dir should be"
