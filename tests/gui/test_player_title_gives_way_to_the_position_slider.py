"""In a narrow window the player bar's long title is elided to the room it has and leaves the
position slider room to be used: elided once to its widest (360 px), the title was cut
mid-letter with no "…", and at the window's least width the slider was 20 px wide."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from gui_support import write_tone
from musicsage.gui.player import SEEK_MIN_WIDTH, PlayerBar

TITLE = "A very long title of a symphony in four movements with a subtitle"


def _shown(label) -> str:
    """What the label draws (its ``text()`` is the whole title)."""
    return QLabel.text(label)


def test_a_long_title_is_elided_to_its_room_and_the_slider_keeps_its_own(
        qtbot, tmp_path, fake_streams):
    path = tmp_path / "t.wav"
    write_tone(path, seconds=3.0, sr=8000, channels=1)
    bar = PlayerBar(stream_factory=fake_streams)
    qtbot.addWidget(bar)
    bar.show()
    bar.play_track(1, str(path), TITLE, "Some Orchestra and Choir")
    label = bar.title_label
    for width in (640, 700, 800):
        bar.resize(width, 40)
        qtbot.waitUntil(lambda: bar.width() == width)
        assert bar.slider.width() >= SEEK_MIN_WIDTH, width
        shown = _shown(label)
        assert shown.endswith("…"), shown
        assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.text() == f"{TITLE} — Some Orchestra and Choir"
    assert TITLE in label.toolTip()
    bar.play_track(2, str(path), "Short")  # a short one, whole, and the slider has the rest
    bar.resize(1000, 40)
    qtbot.waitUntil(lambda: _shown(label) == "Short")
    qtbot.waitUntil(lambda: bar.slider.width() > 500)
    bar.shutdown()
