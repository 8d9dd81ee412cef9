"""Qt-free controllers: the state of each area of the window and the use cases it calls.

The window (:mod:`musicsage.gui.main_window`) builds widgets and connects them to these; a
controller never touches a widget. It runs use cases through a
:class:`~musicsage.controllers.tasks.Runner` (the window's worker pool, or the
:class:`~musicsage.controllers.tasks.InlineRunner` of tests) and tells the view what changed
through :class:`~musicsage.controllers.tasks.Event` attributes.

- :mod:`.app` — :class:`~.app.AppController`: the library shown (its AppContext and search
  spaces), notifications, long tasks; owns the others.
- :mod:`.library` — snapshot, search, scan → embed chaining (the pipeline), dropped files.
- :mod:`.map` — which space is drawn, the map's points, colours and highlights.
- :mod:`.selection` — the selected track: neighbours, tags, playback requests, saving a list.
- :mod:`.training` — Retrain: the run, its live progress and outcome.
- :mod:`.demo` — building and opening the demo library.
- :mod:`.summaries` — the one-line texts of finished tasks.
"""
