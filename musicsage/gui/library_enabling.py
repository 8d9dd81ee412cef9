"""Which of the window's library controls are on, and why the others are off.

Add music folder, Import playlists, Remove music folder, Rescan, Compute embeddings, Retrain
(toolbar, menus, the neighbours panel's button) and the map's controls follow the state of the
library shown: being read, unreadable, the demo being built into it, a training or embedding
run going, no track yet. One function (:func:`library_control_states`) says, for each of
them, whether it is on and what its tooltip says instead of its own; the window applies it at
every change of that state (:func:`enable_library_actions`). Five writers once set them, each
its part, and the result was right only by the order their signals were connected in: after
a switch of library (the demo opened, Back to my library) every control was on while the new
one was read, and during a demo build the greyed ones gave no reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from musicsage.audio_models import family_named
from musicsage.controllers.summaries import nothing_to_compute_text
from musicsage.controllers.training import retrain_blocked
from musicsage.gui.opening_page import OPENING_TIP, UNREADABLE_TIP
from musicsage.gui.tips import tip_unless
from musicsage.usecases.embedding import files_missing_words

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from musicsage.gui.main_window import MainWindow
    from musicsage.usecases.snapshot import LibrarySnapshot

RUN_GOING_TIP = "A training or embedding run is going: wait for it to end, or cancel it"
EMPTY_LIBRARY_TIP = ("Nothing to work on yet: add a music folder first "
                     "(File ▸ Add music folder…)")
NO_FOLDERS_TIP = "No music folder in the library yet"
DEMO_BUILDING_TIP = ("The demo library is being built: wait for it to be ready, or cancel "
                     "the build")
DEMO_READING_TIP = ("The demo library is being read before it opens: wait for it to be "
                    "ready, or cancel the read")
"""While Open demo library reads the demo (:attr:`DemoController.is_reading`): no build runs
yet (one follows unless the demo is ready), and "being built" sent the user to look for a
build's progress and its Cancel; "ready", not "shown": a build that follows holds it too."""

ADDS, CHANGES, RUNS, VIEWS = "adds", "changes", "runs", "views"
"""What a control does, which decides what keeps it off: adding music or playlists (only a
library read, and not being built into); changing what is there (Rescan, removing a folder:
besides, tracks to change); a run (Compute embeddings, Retrain: besides, no other run
going); viewing (the map's controls: a library read with tracks)."""


def why_off(kind: str, w: "MainWindow") -> str | None:
    """Why a control of ``kind`` cannot be used now (None: it can), the first reason that
    holds: the demo being read or built (into a library not yet read, or empty, even the view's
    controls: "add a music folder first" was said while Add music folder was off too), the
    library being read or unreadable, a run going, no track yet."""
    app = w.app
    snap = app.library.snapshot
    if app.demo.building and (kind != VIEWS or snap is None or snap.empty):
        return DEMO_READING_TIP if app.demo.is_reading else DEMO_BUILDING_TIP
    if snap is None:
        return UNREADABLE_TIP if app.library_problem else OPENING_TIP
    if kind == RUNS and (app.training.running or app.library.embedding):
        return RUN_GOING_TIP
    if kind in (CHANGES, RUNS, VIEWS) and snap.empty:
        return EMPTY_LIBRARY_TIP
    return None


def library_control_states(w: "MainWindow") -> dict["QObject", tuple[bool, str | None]]:
    """Every library control: ``(on, tooltip instead of its own)``, from the state alone.
    Compute embeddings stays on with nothing left to compute, its tooltip saying so."""
    acts = w.actions_
    kinds = {acts.add_folder: ADDS, acts.import_playlists: ADDS,
             acts.remove_folder.menuAction(): CHANGES, acts.rescan: CHANGES,
             acts.embed: RUNS, acts.retrain: RUNS, w.neighbours.retrain_button: RUNS,
             acts.fit: VIEWS, acts.recompute_map: VIEWS, acts.space_combo: VIEWS,
             acts.colour_combo: VIEWS}
    states = {}
    for control, kind in kinds.items():
        why = why_off(kind, w)
        states[control] = (why is None, why)
    snap = w.app.library.snapshot
    folders = acts.remove_folder.menuAction()
    if states[folders][1] in (None, EMPTY_LIBRARY_TIP):  # tracks or not: folders to remove
        states[folders] = ((True, None) if snap.folders else (False, NO_FOLDERS_TIP))
    if states[acts.embed][0]:
        states[acts.embed] = (True, nothing_to_embed(snap, w.app.library.embed_model))
    if states[acts.retrain][0]:  # on, as Compute embeddings: pressing it says why, as this
        states[acts.retrain] = (True, retrain_blocked(snap))
    return states


def enable_library_actions(w: "MainWindow") -> None:
    """Apply :func:`library_control_states`: called at every change of the library's state
    (read, failed, another library shown, the demo build started or ended, a run started or
    ended, another audio model chosen). A menu entry's status tip says what its tooltip
    does (Compute embeddings' kept "Analyse the audio of tracks that lack it")."""
    for control, (on, why) in library_control_states(w).items():
        control.setEnabled(on)
        tip_unless(control, why)
        if isinstance(control, QAction):
            control.setStatusTip(control.toolTip())
    snap = w.app.library.snapshot  # None while a library is read, or cannot be
    library_model = snap.audio_model if snap is not None else None
    for choice in w.actions_.embed_models.actions():
        choice.setToolTip(embed_model_tip(choice.data(), choice.text(), library_model))


def nothing_to_embed(snap: "LibrarySnapshot", model: str | None) -> str | None:
    """Compute embeddings' tooltip when every track has its vectors of the model it would
    use: it stays on, as Retrain does (pressing it says so too, and finds a file changed
    since the library was read), but the tooltip says it before it is pressed. With tracks
    missing, it says so, in ``embed``'s words: "every track already has its embeddings" was
    untrue of tracks whose files are gone (some never analysed)."""
    chosen = family_named(model) if model else None
    tracks = snap.stats.tracks
    if (snap.audio_model is None or tracks.needs_analysis
            or (chosen is not None and chosen is not family_named(snap.audio_model))):
        return None
    if tracks.missing:
        here = tracks.present > tracks.no_audio_file  # some tracks have their files here
        return "Nothing to compute: " + files_missing_words(
            tracks.missing, snap.audio_model if here else None)
    return nothing_to_compute_text(snap.audio_model)


AUTO_MODEL_TIP = ("New music is analysed with the model the library already uses (with none "
                  "yet: the best one installed)")


def embed_model_tip(key: str | None, label: str, library_model: str | None) -> str:
    """Analyse ▸ Audio model's tooltip for the choice ``key`` (None: keep the library's),
    true of that choice: it said "another model than the library's analyses every track
    again" on the library's own model too."""
    if key is None:
        return AUTO_MODEL_TIP
    if library_model and family_named(library_model) is family_named(key):
        return (f"Compute embeddings with {label}, the library's model: computes only what "
                "is missing")
    return f"Compute embeddings with {label}, another model: analyses every track again"
