"""The window's thread with a very large playlist chosen: what one action holds it for.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/big_playlist.py [--tracks 30000]

Times, on generated rows and points (no library, nothing written), the Playlist tab fitting
its columns to a playlist of ``--tracks`` rows and the map placing the selected track's name
beside that playlist's squares (the two that held the window 0.6 s and 0.9 s on 30,000
tracks), and the map, with its tools, choosing that playlist while a track is selected and
selecting a track with its neighbours (the selection twice: at once, then with its
neighbours, as the window does; 0.3 s and 0.25-0.4 s). Prints the median of five runs of
each, in ms; the aim is well under 200 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _median_ms(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=30_000)
    count = parser.parse_args().tracks
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from musicsage.controllers.playlist_tracks import PlaylistRow
    from musicsage.gui.map_tools import MapTools
    from musicsage.gui.map_view import MapView
    from musicsage.gui.track_view import TrackView

    app = QApplication([])
    rows = tuple(PlaylistRow(i, i + 1, f"Song {i} Meadow", f"Artist {i % 800}", f"/m/{i}.flac",
                             60.0 + i % 400, "") for i in range(count))
    tab = TrackView()
    tab.resize(600, 400)
    tab.show()
    tab.rows_model.show(rows)

    def fit() -> None:
        tab._needs = None
        tab._fit_columns()

    view = MapView()
    _tools = MapTools(view)  # the search's rings follow each layout of the marks
    view.resize(900, 600)
    view.show()
    ids = np.arange(count)
    view.set_points(ids, np.random.default_rng(0).normal(size=(count, 2)).astype(np.float32),
                    [f"Song {i}" for i in ids])
    view.set_highlight(ids, "Everything")
    view.set_selection(int(ids[count // 2]), graph_ids=ids[:5], audio_ids=ids[5:10])
    app.processEvents()
    print(f"{count:,} tracks: fit the Playlist tab's columns {_median_ms(fit):.0f} ms; "
          f"place the selected name {_median_ms(view._place_label):.0f} ms")
    print(f"{count:,} tracks: choose the playlist {_median_ms(lambda: choose(view, ids)):.0f} ms;"
          f" select a track {_median_ms(lambda: select(view, ids)):.0f} ms")


def choose(view, ids) -> None:
    """The playlist chosen again after a small one (the small one's part is not much)."""
    view.set_highlight(ids[:20], "Twenty")
    view.set_highlight(ids, "Everything")


def select(view, ids) -> None:
    """Another track selected: at once, then with its neighbours."""
    track = int(ids[(select.__dict__.setdefault("turn", 0) * 7919 + 11) % len(ids)])
    select.turn += 1
    view.set_selection(track)
    view.set_selection(track, graph_ids=ids[select.turn:select.turn + 10],
                       audio_ids=ids[select.turn + 5:select.turn + 15])


if __name__ == "__main__":
    main()
