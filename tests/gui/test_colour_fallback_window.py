"""The window on a library without genre tags: the map was one colour under "no track has a
genre tag" (an imported dataset of 28,356 tracks), with "Colour by: Genre tag" as if that
were informative. It is coloured by playlist, the chooser says so, and a choice the user
makes is kept, across launches too."""

from __future__ import annotations

import numpy as np


def _dataset_library(tmp_path):
    """Twelve tracks by three artists, no genre, in three playlists."""
    from musicsage.context import AppContext
    from musicsage.usecases.library import import_dataset

    d = tmp_path / "ds"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"t{i},Song {i},Band {i % 3}\n" for i in range(12)), encoding="utf-8")
    np.save(d / "features.npy", np.random.default_rng(0).normal(size=(12, 8)).astype(np.float32))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 3},t{i}\n" for i in range(12)), encoding="utf-8")
    (d / "playlists.csv").write_text("playlist_id,name\np0,Morning\np1,Evening\np2,Night\n",
                                     encoding="utf-8")
    ctx = AppContext.create(tmp_path / "lib")
    import_dataset(ctx, d)
    return ctx


def _with_map(qtbot, make_window, ctx):
    w = make_window(ctx)
    qtbot.waitUntil(lambda: len(w.map.track_ids) == 12, timeout=30_000)
    return w


def test_no_genre_tags_colour_the_map_by_playlist_until_the_user_chooses(
        qtbot, make_window, tmp_path):
    ctx = _dataset_library(tmp_path)
    w = _with_map(qtbot, make_window, ctx)
    assert w.colour_combo.currentData() == "playlist"
    assert "No track has a genre tag" in w.colour_combo.toolTip()
    legend = w.map.legend.text()
    assert all(name in legend for name in ("Morning", "Evening", "Night")), legend
    assert "No track has a genre tag" in w.map.legend.body.toolTip()
    # the user's choice is respected, even the one-colour one, and kept for the next launch
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("tag"))
    assert "no track has a genre tag" in w.map.legend.text()
    assert "No track has a genre tag" not in w.colour_combo.toolTip()
    w.close()
    w2 = _with_map(qtbot, make_window, ctx)
    assert w2.colour_combo.currentData() == "tag"
    assert "no track has a genre tag" in w2.map.legend.text()


def test_a_genre_tag_saved_by_an_earlier_version_is_not_taken_for_a_choice(
        qtbot, make_window, tmp_path):
    """Earlier versions saved the chooser as it stood: "Genre tag", the default, for everyone
    who ever closed the window. Taken as a choice, no such user would see the fallback."""
    from PySide6.QtCore import QSettings

    ctx = _dataset_library(tmp_path)
    old = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    old.setValue("view/colour_by", "tag")
    old.sync()
    w = _with_map(qtbot, make_window, ctx)
    assert w.colour_combo.currentData() == "playlist"
    w.colour_combo.setCurrentIndex(w.colour_combo.findData("artist"))
    w.close()
    w2 = _with_map(qtbot, make_window, ctx)
    assert w2.colour_combo.currentData() == "artist"
