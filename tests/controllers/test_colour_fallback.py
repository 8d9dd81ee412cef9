"""The map's default colouring on a library without genre tags (an imported dataset: 28,356
tracks drawn one colour under "no track has a genre tag"): it falls back to playlists, else
artists, and says so; a choice the user made is kept."""

from __future__ import annotations

import numpy as np

from musicsage.context import AppContext


def _loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app


def _dataset_library(tmp_path, *, playlists: bool = True) -> AppContext:
    """Eight tracks by four artists, no genre; two playlists (unless ``playlists`` is off)."""
    from musicsage.usecases.library import import_dataset

    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Song {i},Band {i % 4}\n" for i in range(8)), encoding="utf-8")
    np.save(d / "features.npy", np.eye(8, dtype=np.float32))
    if playlists:
        (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
            f"p{i % 2},t{i}\n" for i in range(6)), encoding="utf-8")
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    return ctx


def test_a_library_without_genre_tags_is_coloured_by_playlist_and_says_so(
        make_app, recorder, tmp_path):
    ctx = _dataset_library(tmp_path)
    app, runner = make_app(ctx)
    shown = recorder(app.map.colour_shown)
    app.library.reload()
    runner.drain()
    ids = np.array(sorted(app.library.snapshot.by_id))
    assert app.map.colour_by == "playlist" and app.map.colour_choice is None
    codes, names, _other = app.map.colouring(ids)
    assert len(names) == 2 and (codes >= 0).sum() == 6, "two playlists tell the points apart"
    note = app.map.colour_note
    assert note.startswith("No track has a genre tag: the map is coloured by playlist")
    assert shown.last == ("playlist", note), "the chooser is told what the map shows"
    _counts, legend_note = app.map.legend_counts(names)
    assert legend_note.startswith(note), "the legend's tooltip says it too"


def test_without_playlists_either_it_is_coloured_by_artist(make_app, tmp_path):
    app = _loaded(make_app, _dataset_library(tmp_path, playlists=False))
    assert app.map.colour_by == "artist"
    _codes, names, _other = app.map.colouring(np.array(sorted(app.library.snapshot.by_id)))
    assert sorted(names) == ["Band 0", "Band 1", "Band 2", "Band 3"]
    assert "coloured by artist" in app.map.colour_note


def test_a_library_with_genre_tags_keeps_the_genre_colouring(library, make_app, recorder):
    app, runner = make_app(library)
    shown = recorder(app.map.colour_shown)
    app.library.reload()
    runner.drain()
    assert app.map.colour_by == "tag" and app.map.colour_note == ""
    _codes, names, _other = app.map.colouring(np.array(sorted(app.library.snapshot.by_id)))
    assert names and all(n.islower() for n in names), names  # make_music's genres
    assert shown.last == ("tag", "")


def test_the_users_choice_is_kept_even_where_no_track_has_a_genre(make_app, recorder, tmp_path):
    app, runner = make_app(_dataset_library(tmp_path))
    app.map.colour_by = "tag"  # restored from the settings, before the library is read
    app.library.reload()
    runner.drain()
    ids = np.array(sorted(app.library.snapshot.by_id))
    assert app.map.colour_by == "tag" and app.map.colour_note == ""
    codes, names, other = app.map.colouring(ids)
    assert names == [] and other == "no track has a genre tag"
    shown = recorder(app.map.colour_shown)
    app.map.colour_by = "album"  # the chooser, later; then the library is read again
    app.library.reload()
    runner.drain()
    assert app.map.colour_by == "album" and app.map.colour_choice == "album"
    assert shown.calls == [("album", ""), ("album", "")]
