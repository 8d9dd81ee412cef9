"""The toolbar's and the menus' controls say what they do once the library is open, and are on
or off as what they stand for: "Colour by" said "The library is being opened: wait a moment"
for the whole session; the toolbar's "Map:" and "Colour by:" stayed black beside greyed
choosers; Playback ▸ Play / pause, Stop and Play similar were on while their buttons were
greyed (no audio device, no track), and did nothing; Compute embeddings did not say, before
it was pressed, that there was nothing to compute."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

import musicsage.gui.window_actions as window_actions
from musicsage.gui.opening_page import OPENING_TIP
from musicsage.usecases.library import list_tracks

NO_DEVICE = "playback disabled: no audio output device found (Error querying device -1)"


@pytest.fixture
def own_tips(monkeypatch) -> dict:
    """Every control off_until_open turns off, with the tooltip it had just before."""
    seen: dict = {}
    real = window_actions.off_until_open

    def recording(controls, library):
        seen.update({control: control.toolTip() for control in controls})
        real(controls, library)

    monkeypatch.setattr(window_actions, "off_until_open", recording)
    return seen


def _toolbar_label(w, text: str) -> QLabel:
    return next(label for label in w.toolbar.findChildren(QLabel) if label.text().strip() == text)


def _menu_entry(w, menu: str, text: str):
    entries = next(a.menu() for a in w.menuBar().actions() if a.text() == menu).actions()
    return next(a for a in entries if a.text() == text)


def test_every_control_gets_its_own_tip_back_once_the_library_is_open(
        qtbot, make_window, library, held_read, own_tips):
    w = make_window(library, wait=False)
    qtbot.waitUntil(lambda: w.workers.busy)
    assert own_tips and all(c.toolTip() == OPENING_TIP for c in own_tips)
    labels = [_toolbar_label(w, "Map:"), _toolbar_label(w, "Colour by:")]
    assert not any(label.isEnabled() for label in labels), "greyed with their choosers"

    held_read.set()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page, timeout=30_000)
    qtbot.waitUntil(lambda: w.app.map.shown_space is not None, timeout=30_000)
    wrong = {}
    for control, own in own_tips.items():
        tip = control.toolTip()
        if control is w.actions_.embed and tip.startswith("Nothing to compute"):
            continue  # its note for now (test below)
        if tip != own and not tip.startswith(own + ". "):  # Colour by adds what it shows
            wrong[control.text() if hasattr(control, "text") else control.accessibleName()] = tip
    assert wrong == {}
    assert w.colour_combo.toolTip().startswith("What the map's colours mean")
    assert all(label.isEnabled() for label in labels)


def test_the_playback_menu_follows_the_player_bar(qtbot, make_window, library, fake_streams):
    w = make_window(library, stream_factory=fake_streams)
    player, play_pause = w.player, w.play_pause_action
    player.set_can_start(True)  # a track to play (none selected: Play is off)
    stop = _menu_entry(w, "&Playback", "Stop playback")
    similar = _menu_entry(w, "&Playback", "Play similar")
    assert play_pause.isEnabled() and player.volume.isEnabled()
    assert not stop.isEnabled(), "nothing plays: nothing to stop"
    own = play_pause.toolTip()

    player.set_availability(NO_DEVICE)  # the output went: nothing can play
    for entry in (play_pause, stop):
        assert not entry.isEnabled()
        assert "no audio output device found" in entry.toolTip()
        assert "connect one" in entry.statusTip()
    assert not player.volume.isEnabled() and "no audio output device" in player.volume.toolTip()
    stopped = []
    player.engine.stop = lambda: stopped.append(True)
    stop.trigger()
    assert not stopped

    player.set_availability(None)
    assert play_pause.isEnabled() and not stop.isEnabled() and player.volume.isEnabled()
    assert play_pause.toolTip() == own and player.volume.toolTip() == "Volume"

    # Play similar: off with the panel's button, with no menu opened in between
    started = []
    w.neighbours.play_similar_requested.connect(started.append)
    assert not similar.isEnabled() and "Select a track first" in similar.toolTip()
    similar.trigger()
    assert started == []
    tid = list_tracks(library)[3].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    assert similar.isEnabled() and similar.toolTip().startswith("Start a radio")
    similar.trigger()
    assert started == [tid]


def test_compute_embeddings_says_when_there_is_nothing_to_compute(qtbot, make_window, library):
    w = make_window(library)  # every track embedded (spectral)
    embed = w.actions_.embed
    assert embed.isEnabled(), "still on, as Retrain: pressing it says so too"
    assert embed.toolTip() == ("Nothing to compute: every track already has its embeddings "
                               f"with {w.app.library.snapshot.audio_model}")
    other = next(a for a in w.actions_.embed_models.actions() if a.data() == "openl3")
    other.trigger()  # another model: every track would be analysed again
    assert embed.toolTip() == "Analyse the audio of tracks that lack it"
    auto = next(a for a in w.actions_.embed_models.actions() if a.data() is None)
    auto.trigger()
    assert embed.toolTip().startswith("Nothing to compute")


def test_the_map_chooser_has_one_name(qtbot, make_window, library):
    w = make_window(library)
    view = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
    assert "Map" in [a.text() for a in view.actions()] and _toolbar_label(w, "Map:")
    assert "vectors" not in w.space_combo.toolTip()
