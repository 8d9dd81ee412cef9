"""A music folder copied into another music folder, then deleted: the scan cannot tell that
from an unplugged drive whose songs were also copied to the laptop, so it folds no copy and
marks the tracks missing. Removing them (``forget --missing``, the window's Remove missing
tracks…) is the user saying they are gone for good: each with one copy in the library takes
its copy's place, keeping its playlist places and vectors, instead of leaving the library."""

from __future__ import annotations

import json
import shutil

from musicsage import cli
from musicsage.controllers.missing import removable_note
from musicsage.library.forget import forget_missing, missing_to_remove
from musicsage.usecases.library import scan_library


def _rows(conn) -> dict[str, tuple[int, str]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT path, id, status FROM tracks")}


def _library(ctx, conn, tmp_path, make_audio):
    """Music/a holds song.wav (in a playlist, with a vector) and x.wav; Other holds keep.wav."""
    music, other = tmp_path / "Music", tmp_path / "Other"
    make_audio(music / "a" / "song.wav", freq=330.0)
    make_audio(music / "a" / "x.wav", freq=550.0)
    make_audio(other / "keep.wav", freq=440.0)
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'a' / 'song.wav'}\n", encoding="utf-8")
    scan_library(ctx, [str(music), str(other)], [str(mix)])
    tid = _rows(conn)[str(music / "a" / "song.wav")][0]
    with conn:
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', 'v', 1, x'0000803f')", (tid,))
    return music, other, tid


def _assert_moved_with_its_places(conn, tid, new_path):
    assert _rows(conn)[new_path] == (tid, "present"), "the track took its copy's place"
    assert [r[0] for r in conn.execute("SELECT track_id FROM playlist_entries")] == [tid]
    assert conn.execute("SELECT count(*) FROM audio_embeddings WHERE track_id = ?",
                        (tid,)).fetchone()[0] == 1, "its vector stays"
    assert conn.execute("SELECT count(*) FROM tracks WHERE status = 'missing'"
                        ).fetchone()[0] == 0


def test_forget_missing_folder_moves_a_copied_music_folder(ctx, conn, tmp_path, make_audio,
                                                           capsys):
    music, other, tid = _library(ctx, conn, tmp_path, make_audio)
    shutil.copytree(music, other / "Music", copy_function=shutil.copy2)
    scan_library(ctx)
    shutil.rmtree(music)
    assert scan_library(ctx).moved == 0, "the scan keeps its guard: a drive unplugged?"

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", str(music),
                     "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0 and (out["tracks"], out["moved"]) == (0, 2)
    _assert_moved_with_its_places(conn, tid, str(other / "Music" / "a" / "song.wav"))


def test_the_line_says_them_found_moved(ctx, conn, tmp_path, make_audio, capsys):
    music, other, _tid = _library(ctx, conn, tmp_path, make_audio)
    shutil.copytree(music, other / "Music", copy_function=shutil.copy2)
    scan_library(ctx)
    shutil.rmtree(music)
    scan_library(ctx)

    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", str(music)])

    assert code == 0 and capsys.readouterr().out.strip() == (
        "no missing tracks to remove; 2 missing tracks found moved to their copies (kept with "
        "their playlist places and vectors)")


def test_remove_missing_tracks_moves_an_emptied_album_to_its_copy(ctx, conn, tmp_path,
                                                                  make_audio):
    """The album's files deleted, its folder left (empty: a drive's mount point, to the
    scan); the window's check counts them apart, and removing them moves them."""
    music, other, tid = _library(ctx, conn, tmp_path, make_audio)
    make_audio(music / "stay.wav", freq=660.0)
    shutil.copytree(music / "a", other / "a", copy_function=shutil.copy2)
    scan_library(ctx)
    for f in (music / "a").iterdir():
        f.unlink()
    assert scan_library(ctx).moved == 0

    plan = missing_to_remove(conn)
    assert (plan.tracks, plan.moved) == (0, 2)
    assert removable_note(plan) == ("none to remove now; 2 missing tracks found moved to their "
                                    "copies (kept with their playlist places and vectors)")
    report = forget_missing(conn)

    assert (report.tracks, report.moved) == (0, 2)
    _assert_moved_with_its_places(conn, tid, str(other / "a" / "song.wav"))


def test_a_deleted_file_without_a_copy_still_leaves(ctx, conn, tmp_path, make_audio):
    music, other, tid = _library(ctx, conn, tmp_path, make_audio)
    shutil.copy2(music / "a" / "song.wav", other / "song.wav")
    scan_library(ctx)
    with conn:  # the copy has a place of its own: no lone copy to move to
        conn.execute("UPDATE playlist_entries SET track_id = (SELECT id FROM tracks WHERE path"
                     " = ?)", (str(other / "song.wav"),))
    (music / "a" / "song.wav").unlink()
    (music / "a" / "x.wav").unlink()
    scan_library(ctx)

    report = forget_missing(conn)

    assert (report.tracks, report.moved) == (2, 0), "song.wav's copy has a place of its own"
    assert report.to_dict().get("moved") is None, "no key when none moved"
