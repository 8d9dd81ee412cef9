"""What the chain-of-renames check (a file whose song left its path: ``mv b c; mv a b``) must
never do: take a track from a file that still is that track's. Found by the second review:
a duplicate moved while its twin was overwritten left the duplicate's track missing (the
twin's track, of a lower id, was taken first); a renumbering of files of one size and one time
(a sample pack, a FAT drive's 2-s times) took a link the scan had passed as unchanged, leaving
that file with no track at all."""

from __future__ import annotations

import os
import shutil

from library_audio import write_audio

from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


def _present(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT path FROM tracks WHERE status = 'present'")}


def _on_disk(music) -> set[str]:
    return {str(p) for p in music.rglob("*.wav")}


def test_a_duplicate_moved_while_its_twin_is_overwritten_keeps_its_track(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.3, freq=220.0, tags={"title": "a"})
    write_audio(music / "b.wav", seconds=0.3, freq=440.0, tags={"title": "b"})
    (music / "dup").mkdir()
    shutil.copy2(music / "b.wav", music / "dup" / "b.wav")
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    ids = dict(conn.execute("SELECT path, id FROM tracks"))

    (music / "dup2").mkdir()
    os.replace(music / "dup" / "b.wav", music / "dup2" / "b.wav")
    shutil.copyfile(music / "a.wav", music / "b.wav")
    scan_library(ctx)

    now = dict(conn.execute("SELECT path, id FROM tracks WHERE status = 'present'"))
    assert now[str(music / "dup2" / "b.wav")] == ids[str(music / "dup" / "b.wav")]
    assert now[str(music / "b.wav")] == ids[str(music / "b.wav")], "b.wav changed in place"
    assert _present(conn) == _on_disk(music)
    assert conn.execute("SELECT COUNT(*) FROM tracks WHERE status = 'missing'").fetchone()[0] == 0


def test_a_renumbering_of_files_of_one_stamp_leaves_no_file_without_a_track(ctx, tmp_path):
    music = tmp_path / "music"
    for i, name in enumerate(["01.wav", "02.wav", "03.wav"]):
        write_audio(music / name, seconds=0.3, freq=220.0 + 110 * i, tags={"title": "x"})
        os.utime(music / name, ns=(1_700_000_000_000_000_000,) * 2)
    scan_library(ctx, [str(music)])
    conn = connect(ctx)
    for old, new in (("03", "04"), ("02", "03"), ("01", "02")):
        os.replace(music / f"{old}.wav", music / f"{new}.wav")

    scan_library(ctx)
    assert _present(conn) == _on_disk(music), "every file on disk is a track"
    scan_library(ctx)
    assert _present(conn) == _on_disk(music), "and stays one at the next scan"


def test_a_deleted_duplicate_never_takes_a_renamed_song_s_track(ctx, tmp_path):
    """``rm x/b.wav; mv b.wav c.wav; mv a.wav b.wav`` (b.wav's song was in the library twice):
    c.wav is b's track moved — not the deleted duplicate's, which left b's track to be
    deleted as overwritten, its vector and playlist place with it (the third review)."""
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.3, freq=220.0, tags={"title": "a"})
    write_audio(music / "b.wav", seconds=0.3, freq=440.0, tags={"title": "b"})
    scan_library(ctx, [str(music)])
    (music / "x").mkdir()
    shutil.copy2(music / "b.wav", music / "x" / "b.wav")
    scan_library(ctx)
    conn = connect(ctx)
    ids = dict(conn.execute("SELECT path, id FROM tracks"))

    os.remove(music / "x" / "b.wav")
    os.replace(music / "b.wav", music / "c.wav")
    os.replace(music / "a.wav", music / "b.wav")
    scan_library(ctx)

    now = dict(conn.execute("SELECT path, id FROM tracks WHERE status = 'present'"))
    assert now == {str(music / "b.wav"): ids[str(music / "a.wav")],
                   str(music / "c.wav"): ids[str(music / "b.wav")]}
    assert conn.execute("SELECT status FROM tracks WHERE id = ?",
                        (ids[str(music / "x" / "b.wav")],)).fetchone()[0] == "missing"
