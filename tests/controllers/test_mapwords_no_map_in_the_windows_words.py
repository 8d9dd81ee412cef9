"""Why the window has no map is said in the window's words: the map's use case gives the
command line's hint ("Compute embeddings in the window, or musicsage embed", "`musicsage scan
~/Music`"), and the map's "No map: …" showed it as given, where every other part of the
window names its own control (:func:`musicsage.controllers.wording.window_note`)."""

from __future__ import annotations

from musicsage.errors import EMBED_HINT, MusicsageError


def test_a_failed_map_names_the_windows_control_not_the_command_line(library, make_app,
                                                                      monkeypatch):
    app, runner = make_app(library)
    app.library.reload()
    runner.drain()
    said: list[str] = []
    app.map.message.connect(said.append)

    def no_vectors(*_args, **_kwargs):  # the embeddings went between the look and the map
        raise MusicsageError(f"no audio map: no audio embeddings yet ({EMBED_HINT})")

    monkeypatch.setattr("musicsage.controllers.map.map_points", no_vectors)
    app.map.refresh(relayout=True)
    runner.drain()
    failed = [text for text in said if text.startswith("No map")]
    assert failed, said
    assert "musicsage embed" not in failed[-1], failed[-1]
    assert "Analyse ▸ Compute embeddings" in failed[-1], failed[-1]
