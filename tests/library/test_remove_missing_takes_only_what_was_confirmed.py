"""File › Remove missing tracks… asks about the tracks a check found missing, then removes
only those the user confirmed: a file that went missing while the question was open (a drive
unplugged, the folder watch marking it) is kept, to be asked about next time; a confirmed one
found again meanwhile is kept too; both are said. ``forget --missing`` (no question) still
removes every track missing when it runs. Real library, real files."""

from __future__ import annotations

import shutil

from musicsage.usecases.library import forget_missing_tracks, missing_to_remove, scan_library


def _status(conn) -> dict[str, tuple[int, str]]:
    """(id, status) by path under the test's folder ("music/a0.wav")."""
    return {"/".join(r[0].rsplit("/", 2)[1:]): (int(r[1]), r[2])
            for r in conn.execute("SELECT path, id, status FROM tracks")}


def _three_songs(ctx, tmp_path, make_audio):
    files = [make_audio(tmp_path / "music" / f"a{i}.wav", freq=300.0 + 110 * i)
             for i in range(3)]
    scan_library(ctx, [str(tmp_path / "music")])
    return files


def test_a_file_gone_missing_while_asked_is_kept(ctx, conn, tmp_path, make_audio):
    files = _three_songs(ctx, tmp_path, make_audio)
    files[0].unlink()
    scan_library(ctx)
    asked = missing_to_remove(ctx)  # the question names 1 track
    assert asked.tracks == 1
    files[1].unlink()  # gone while the question is open; the watch marks it missing
    scan_library(ctx)
    a1 = _status(conn)["music/a1.wav"]
    assert a1[1] == "missing"

    report = forget_missing_tracks(ctx, asked=asked)

    assert report.tracks == 1 and report.unasked == 1
    assert set(_status(conn)) == {"music/a1.wav", "music/a2.wav"}, "only the one asked about left"
    assert _status(conn)["music/a1.wav"] == a1, "the unasked one keeps its id, still missing"
    assert report.summary() == (
        "1 missing track removed from the library (its file was already gone); playlists that "
        "list it are not changed; 1 missing track kept: the question did not ask to remove it "
        "(gone missing since it was asked?); Remove missing tracks again asks about it")
    again = missing_to_remove(ctx)
    assert forget_missing_tracks(ctx, asked=again).tracks == 1, "asked next time, removed"
    assert set(_status(conn)) == {"music/a2.wav"}


def test_a_confirmed_track_found_again_is_kept_and_said(ctx, conn, tmp_path, make_audio):
    files = _three_songs(ctx, tmp_path, make_audio)
    aside = tmp_path / "aside.wav"
    shutil.move(files[1], aside)
    files[0].unlink()
    scan_library(ctx)
    asked = missing_to_remove(ctx)
    assert asked.tracks == 2
    shutil.move(aside, files[1])  # a drive plugged back in while the question was open
    scan_library(ctx)
    a1 = _status(conn)["music/a1.wav"]

    report = forget_missing_tracks(ctx, asked=asked)

    assert (report.tracks, report.returned, report.unasked) == (1, 1, 0)
    assert _status(conn)["music/a1.wav"] == a1 == (a1[0], "present")
    assert report.summary().endswith("; 1 track asked about was found again meanwhile: kept")


def test_forget_missing_without_a_question_takes_every_missing_track(ctx, conn, tmp_path,
                                                                      make_audio):
    files = _three_songs(ctx, tmp_path, make_audio)
    files[0].unlink()
    scan_library(ctx)
    missing_to_remove(ctx)
    files[1].unlink()
    scan_library(ctx)

    report = forget_missing_tracks(ctx)

    assert (report.tracks, report.unasked, report.returned) == (2, 0, 0)
    assert set(_status(conn)) == {"music/a2.wav"}


def test_a_track_asked_to_move_whose_copy_went_is_not_removed(ctx, conn, tmp_path,
                                                              make_audio):
    """The question offered to move the track to its copy (keeping its places); the copy was
    deleted meanwhile: removing the track instead was never asked."""
    files = _three_songs(ctx, tmp_path, make_audio)
    copy = tmp_path / "other" / "a0.wav"
    copy.parent.mkdir()
    shutil.copy2(files[0], copy)
    scan_library(ctx, [str(tmp_path / "other")])
    files[0].unlink()
    with conn:  # as the scan leaves it when it cannot tell the folder from a drive unplugged
        conn.execute("UPDATE tracks SET status = 'missing' WHERE path = ?", (str(files[0]),))
    asked = missing_to_remove(ctx)
    assert (asked.tracks, asked.moved) == (0, 1)
    copy.unlink()
    scan_library(ctx)
    a0 = _status(conn)["music/a0.wav"]

    report = forget_missing_tracks(ctx, asked=asked)

    assert (report.tracks, report.moved) == (0, 0)
    assert _status(conn)["music/a0.wav"] == a0 == (a0[0], "missing"), "kept where it was"
    assert (report.copy_gone, report.unasked) == (1, 0), "asked about: to move, not to remove"
    assert report.summary().startswith(  # then the copy's own folder, empty now, is said
        "no missing tracks to remove; 1 missing track kept: the copy it was to move to is gone; "
        "Remove missing tracks again asks about it; ")
    assert "did not ask" not in report.summary()
    again = missing_to_remove(ctx)
    assert (again.tracks, again.moved) == (1, 0), "next time it is asked to be removed"
