"""The map legend's grey entry (:func:`musicsage.controllers.colouring.other_entry`)."""

from __future__ import annotations

from musicsage.controllers.colouring import MAX_CATEGORIES, lumped_name, other_entry


def test_the_grey_entry_counts_tracks_like_the_entries_that_count_points():
    assert other_entry("other", 84, by_size=False) == ("other (84 tracks)", "")
    assert other_entry("no track has a genre tag", 1, by_size=False)[0] == \
        "no track has a genre tag (1 track)"


def test_beside_playlist_sizes_the_grey_entry_says_its_tracks_are_in_none_of_them():
    """"28 other playlists or none (56)" beside "Dinner Party 2 (29)" (a playlist's size)
    read as if the 28 playlists held 56 tracks: the 56 are the grey points."""
    text, tip = other_entry("28 other playlists or none", 56, by_size=True)
    assert text == "56 tracks in none of these"
    assert tip == ("Grey: the 56 tracks in none of the coloured playlists (28 other playlists "
                   "or none).")


def test_the_grey_entry_says_how_many_values_it_lumps_together():
    """"other (84 tracks)" hid whether the grey points were two more genres or two hundred."""
    assert other_entry(lumped_name(12, "genre", unset=False), 84, by_size=False)[0] == \
        "12 other genres (84 tracks)"
    assert lumped_name(1, "artist", unset=False) == "1 other artist"
    assert lumped_name(3, "album", unset=True) == "3 other albums or none"
    assert lumped_name(0, "genre", unset=True) == "no genre"


def test_colouring_by_artist_names_the_artists_left_grey(make_app, tmp_path):
    """Two artists past the legend's twelve, and a track with no artist: the grey entry
    counts both kinds ("2 other artists or none"), not a bare "other"."""
    import numpy as np

    from musicsage.context import AppContext
    from musicsage.usecases.library import import_dataset

    n_artists = MAX_CATEGORIES + 2
    rows = [f"t{i},Song {i},Band {i}" for i in range(n_artists)]
    rows += [f"u{i},Hit {i},Band {i}" for i in range(MAX_CATEGORIES)]  # the coloured twelve
    rows.append("x,Nobody's,")
    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "\n".join(rows) + "\n",
                                  encoding="utf-8")
    np.save(d / "features.npy", np.eye(len(rows), dtype=np.float32))
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    ids = np.array(sorted(app.library.snapshot.by_id))
    app.map.colour_by = "artist"
    codes, names, other = app.map.colouring(ids)
    assert len(names) == MAX_CATEGORIES and int((codes < 0).sum()) == 3
    assert other == "2 other artists or none"
    assert other_entry(other, 3, by_size=False)[0] == "2 other artists or none (3 tracks)"
