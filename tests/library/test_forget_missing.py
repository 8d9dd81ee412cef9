"""``forget --missing``: the tracks whose files are gone leave the library — with their
vectors, their ids retired, playlist entries left unresolved and playlist files untouched —
while present tracks stay, and so do the missing tracks of a music folder that is itself gone
(a drive unplugged) unless that folder is named."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import queries as q
from musicsage.library.track_ids import next_track_id
from musicsage.usecases.library import forget_missing_tracks, scan_library


@pytest.fixture
def gone_files(ctx, tmp_path, make_audio):
    """``music/`` (a0 deleted, a1 and a2 present) and ``usb/`` (then unplugged: both its
    tracks missing), scanned with spectral vectors; a playlist naming a0 and a1."""
    from musicsage.usecases.embedding import embed_library

    files = {f"a{i}": make_audio(tmp_path / "music" / f"a{i}.wav", freq=300.0 + 110 * i)
             for i in range(3)}
    files |= {f"u{i}": make_audio(tmp_path / "usb" / f"u{i}.wav", freq=650.0 + 90 * i)
              for i in range(2)}
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text(f"#EXTM3U\n{files['a0']}\n{files['a1']}\n", encoding="utf-8")
    scan_library(ctx, [str(tmp_path / "music"), str(tmp_path / "usb")], [str(playlist)])
    embed_library(ctx, "spectral")
    files["a0"].unlink()
    shutil.move(tmp_path / "usb", tmp_path / "usb-unplugged")
    scan_library(ctx)
    return tmp_path, playlist


def names(conn) -> dict[str, tuple[int, str]]:
    return {os.path.basename(r[1]).removesuffix(".wav"): (int(r[0]), r[2])
            for r in conn.execute("SELECT id, path, status FROM tracks")}


def run(capsys, ctx, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(ctx.data_dir), "forget", "--missing", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def vectors_of(conn, ids) -> int:
    marks = ", ".join("?" * len(ids))
    return conn.execute(f"SELECT COUNT(*) FROM audio_embeddings WHERE track_id IN ({marks})",
                        ids).fetchone()[0]


def test_missing_tracks_leave_present_ones_and_a_gone_folders_stay(ctx, conn, gone_files,
                                                                  capsys):
    tmp_path, playlist = gone_files
    before = names(conn)
    assert {k: s for k, (_i, s) in before.items()} == {
        "a0": "missing", "a1": "present", "a2": "present", "u0": "missing", "u1": "missing"}
    text = playlist.read_bytes()

    code, out, _err = run(capsys, ctx)

    assert code == 0
    assert out == ("1 missing track removed from the library (its file was already gone); "
                   "playlists that list it are not changed (1 entry in 1 playlist now "
                   "unresolved); 2 missing tracks kept: their music folder is gone or empty (a "
                   f"drive unplugged?); name it to remove them: {tmp_path / 'usb'}")
    assert set(names(conn)) == {"a1", "a2", "u0", "u1"}
    assert vectors_of(conn, [before["a0"][0]]) == 0
    assert vectors_of(conn, [before["a1"][0], before["u0"][0]]) == 2
    assert next_track_id(conn) > max(i for i, _s in before.values()), "ids are retired"
    entries = conn.execute("SELECT track_id FROM playlist_entries ORDER BY position").fetchall()
    assert [r[0] for r in entries] == [None, before["a1"][0]]
    assert playlist.read_bytes() == text, "a playlist file is never edited"
    assert len(q.library_roots(conn)) == 2, "no music folder is forgotten"


def test_a_gone_folder_named_loses_its_missing_tracks(ctx, conn, gone_files, capsys):
    tmp_path, _playlist = gone_files
    before = names(conn)

    code, out, _err = run(capsys, ctx, "--json", str(tmp_path / "usb"))

    assert code == 0
    assert json.loads(out) == {"tracks": 2, "entries": 0, "playlists": 0, "kept": [],
                               "back": 0}
    assert set(names(conn)) == {"a0", "a1", "a2"}, "only the named folder's, a0 stays"
    assert vectors_of(conn, [before["u0"][0], before["u1"][0]]) == 0
    assert forget_missing_tracks(ctx).tracks == 1  # then a0, named by nothing
    assert forget_missing_tracks(ctx).summary() == "no missing tracks to remove"


def test_forget_still_takes_one_folder(ctx, gone_files, capsys):
    code = cli.main(["--data-dir", str(ctx.data_dir), "forget"])
    assert code == 1 and "forget --missing [FOLDER…]" in capsys.readouterr().err
    with pytest.raises(MusicsageError, match="is not one of the library's music folders"):
        forget_missing_tracks(ctx, ["/nowhere/at/all"])


def test_a_folder_inside_one_named_through_a_link_loses_its_missing_tracks(ctx, conn, tmp_path,
                                                                          make_audio, capsys):
    """``Link -> music``, ``music`` the stored folder: ``Link/album`` was refused as "only a
    whole music folder can be removed", where ``music/album`` was taken. Its error rows go
    with its tracks; another folder's stay."""
    files = {name: make_audio(tmp_path / "music" / sub / f"{name}.wav", freq=f)
             for name, sub, f in (("x", "album", 330.0), ("y", "other", 550.0))}
    os.symlink(tmp_path / "music", tmp_path / "Link")
    scan_library(ctx, [str(tmp_path / "music")])
    for f in files.values():
        f.unlink()
    scan_library(ctx)
    for name in files:
        track = names(conn)[name][0]
        conn.execute("INSERT INTO errors(path, track_id, stage, message) SELECT path, id, "
                     "'embed', 'unreadable' FROM tracks WHERE id = ?", (track,))
    conn.commit()

    code, out, err = run(capsys, ctx, "--json", str(tmp_path / "Link" / "album"))

    assert (code, err) == (0, "")
    assert json.loads(out) == {"tracks": 1, "entries": 0, "playlists": 0, "kept": [],
                               "back": 0}
    assert {k: s for k, (_i, s) in names(conn).items()} == {"y": "missing"}
    assert [os.path.basename(r[0]) for r in conn.execute("SELECT path FROM errors")] == ["y.wav"]


def test_a_missing_track_whose_file_is_back_is_kept_and_said(ctx, conn, gone_files, capsys):
    """The drive plugged in again (or a file put back) with no scan since: its tracks are
    still marked missing, but their files are there — removing them lost their ids, vectors
    and playlist entries for nothing. Kept, and the line says to rescan."""
    tmp_path, _playlist = gone_files
    shutil.move(tmp_path / "usb-unplugged", tmp_path / "usb")
    assert {k: s for k, (_i, s) in names(conn).items()}["u0"] == "missing"

    code, out, _err = run(capsys, ctx, "--json")

    assert code == 0
    assert json.loads(out) == {"tracks": 1, "entries": 1, "playlists": 1, "kept": [],
                               "back": 2}
    assert set(names(conn)) == {"a1", "a2", "u0", "u1"}, "only a0's file is gone"
    assert forget_missing_tracks(ctx).summary() == (
        "no missing tracks to remove; 2 tracks marked missing are there again: rescan to "
        "bring them back")
    assert forget_missing_tracks(ctx, [str(tmp_path / "usb")]).back == 2, "named: kept too"


def test_a_mistyped_folder_inside_a_music_folder_is_refused(ctx, conn, gone_files, capsys):
    """``music/albm`` (no such folder, no track under it) said "no missing tracks to remove",
    exit 0, as if the album were clean; a folder whose files are all gone (no folder on disk,
    its tracks stored) is still taken."""
    tmp_path, _playlist = gone_files

    code, out, err = run(capsys, ctx, str(tmp_path / "music" / "albm"))

    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert f"{tmp_path / 'music' / 'albm'} does not exist" in err
    assert f"inside the music folder {tmp_path / 'music'}" in err
    assert "missing" in names(conn)["a0"][1], "nothing removed"
    assert forget_missing_tracks(ctx, [str(tmp_path / "music" / "a0.wav")]).tracks == 1
