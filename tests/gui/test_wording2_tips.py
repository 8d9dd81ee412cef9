"""One wording for one thing, and greyed controls that say why.

Without a sound device Play and Stop said why they were greyed, but Previous, Next and the
5-s seeks kept "Next in the queue"; a refused play said "no audio output device (connect
one…" where the status line said "…device found (connect one…". Compute embeddings' tooltip
("Every track is embedded with X: nothing to compute") and its click ("Nothing to compute: …")
differed, and its menu entry's status tip kept "Analyse the audio of tracks that lack it".
Analyse ▸ Audio model said "another model than the library's" of the library's own model.
The greyed Play similar and Save… buttons said what they do, not why they were off."""

from __future__ import annotations

import pytest

from gui_support import settle
from musicsage.usecases.library import list_tracks

pytestmark = pytest.mark.usefixtures("shared_helper")

REASON = "playback disabled: no audio output device (Error querying device -1)"
WHY = "Playback disabled: no audio output device found (connect one, then restart musicsage)"


def _soundless(qtbot, make_window, library, monkeypatch):
    monkeypatch.setattr("musicsage.gui.main_window.probe_output", lambda: REASON)
    w = make_window(library, probe_audio=True)
    settle(qtbot, w)
    qtbot.waitUntil(lambda: not w.player.available, timeout=10_000)
    return w


def test_every_greyed_playback_control_says_why(qtbot, make_window, library, monkeypatch):
    w = _soundless(qtbot, make_window, library, monkeypatch)
    p = w.player
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Playback")
    entries = {a.text(): a for a in menu.actions()}
    for name in ("Play / pause", "Stop playback", "Previous track", "Next track",
                 "Back 5 s", "Forward 5 s"):
        entry = entries[name]
        assert not entry.isEnabled()
        assert (entry.toolTip(), entry.statusTip()) == (WHY, WHY), name
    for control in (p.previous_button, p.play_button, p.next_button, p.stop_button,
                    p.slider, p.volume, p.volume_icon):
        assert control.toolTip() == WHY, control.accessibleName()
    p.set_availability(None)  # sound again: their own tooltips back
    assert p.next_action.toolTip().startswith("Next in the queue")
    assert p.seek_back_action.isEnabled() and p.seek_back_action.statusTip() == ""


def test_a_refused_play_similar_says_it_in_the_status_lines_words(qtbot, make_window,
                                                                  library, monkeypatch):
    w = _soundless(qtbot, make_window, library, monkeypatch)
    tid = list_tracks(library)[0].id
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(tid, play=False)
    said = []
    w.app.notified.connect(lambda _level, text, *_a: said.append(text))
    w.neighbours.play_similar_button.click()
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert said[-1].endswith(": " + WHY.removeprefix("Playback disabled: ")), said


def test_nothing_to_compute_is_said_in_one_wording(qtbot, make_window, library):
    from musicsage.controllers.summaries import describe_embed

    w = make_window(library)  # every track embedded (spectral)
    embed, model = w.actions_.embed, w.app.library.snapshot.audio_model
    nothing = f"Nothing to compute: every track already has its embeddings with {model}"
    assert (embed.toolTip(), embed.statusTip()) == (nothing, nothing)

    class Report:
        total = embedded = failed = 0
        model_id, errors = model, []
    assert describe_embed(Report()).startswith(nothing)
    other = next(a for a in w.actions_.embed_models.actions() if a.data() == "openl3")
    other.trigger()
    assert embed.statusTip() == embed.toolTip() == "Analyse the audio of tracks that lack it"


def test_each_audio_model_choice_says_what_it_would_do(qtbot, make_window, library):
    w = make_window(library)  # its model: spectral
    tips = {a.data(): a.toolTip() for a in w.actions_.embed_models.actions()}
    assert tips["spectral"].endswith("the library's model: computes only what is missing")
    assert tips["openl3"].endswith("another model: analyses every track again")
    assert "another" not in tips["spectral"]


def test_greyed_neighbour_buttons_say_why_in_the_track_boxs_words(qtbot, make_window,
                                                                  library):
    from musicsage.gui.library_panel import NO_TRACK_LINE

    w = make_window(library)
    n = w.neighbours
    assert "on the map or in a list" in NO_TRACK_LINE and "on the map or in a list" in \
        n.heading.text()
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Playback")
    similar = next(a for a in menu.actions() if a.text() == "Play similar")
    assert not n.play_similar_button.isEnabled()
    assert n.play_similar_button.toolTip() == similar.toolTip()
    assert n.save_button.toolTip().startswith("Select a track first")
    with qtbot.waitSignal(w.neighbours_loaded, timeout=30_000):
        w.app.selection.select(list_tracks(library)[3].id, play=False)
    assert n.play_similar_button.toolTip().startswith("Start a radio")
    assert n.save_button.toolTip().startswith("Save one of the lists")
