"""Review of f16eab5 (search): ``--add music/lnk/../song.wav`` took the library's
``music/Song.wav``; a title naming two songs, one deleted, took the present one for a write;
a re-tagged album behind a link was sent to a scan that added it twice; a track the scan
found gone refused copies of one file; a file rewritten in place, its size and mtime kept,
was still "the same bytes"; ``--m3u=~/lnk.m3u8`` replaced the user's link."""

from __future__ import annotations

import os
import shutil

import numpy as np
import soundfile as sf
from search_helpers import run_cli


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long share a content hash."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


def _ids(ctx, music) -> dict[str, int]:
    from musicsage.library.db import connect

    return {os.path.relpath(p, music): int(t)
            for t, p in connect(ctx).execute("SELECT id, path FROM tracks")}


def test_a_path_through_a_link_then_dotdot_names_the_file_the_system_opens(
        capsys, ctx, tmp_path):
    music, other = tmp_path / "music", tmp_path / "other"
    music.mkdir()
    (other / "sub").mkdir(parents=True)
    _song(music / "Song.wav", 220)
    _song(other / "song.wav", 440, seconds=4)
    _song(music / "member.wav", 330, seconds=5)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    os.symlink(other / "sub", music / "lnk")
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'member.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    typed = f"{music}/lnk/../song.wav"  # the system opens other/song.wav, no track
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", typed)
    assert rc != 0 and "not in the library" in err
    assert mix.read_text() == f"{music / 'member.wav'}\n"  # music/Song.wav not written


def test_a_title_of_two_songs_one_deleted_is_not_the_present_one_for_a_write(
        capsys, ctx, tmp_path):
    from musicsage.usecases.search import resolve_query

    music = tmp_path / "music"
    (music / "a").mkdir(parents=True)
    (music / "b").mkdir()
    _song(music / "a" / "intro.wav", 220, seconds=3)
    _song(music / "b" / "intro.wav", 330, seconds=5)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    listed = f"{music / 'a' / 'intro.wav'}\n{music / 'b' / 'intro.wav'}\n"
    mix = tmp_path / "mix.m3u"
    mix.write_text(listed)
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    os.remove(music / "b" / "intro.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove", "intro")
    assert rc != 0 and "matches 2 tracks" in err
    assert mix.read_text() == listed
    assert resolve_query(ctx, "intro", copies=True) == _ids(ctx, music)["a/intro.wav"]  # a read


def test_a_present_copy_beside_its_deleted_copy_is_listed_for_a_write(
        capsys, ctx, tmp_path):
    """A deleted track's file cannot be compared, and its content hash (size and both ends)
    is shared by other songs of one length: a write lists them (a read takes the present
    one). Review of dc1b85d: it took the present one over a deleted song of one hash."""
    import pytest

    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query

    music = tmp_path / "music"
    (music / "a").mkdir(parents=True)
    (music / "b").mkdir()
    _song(music / "a" / "intro.wav", 220)
    shutil.copyfile(music / "a" / "intro.wav", music / "b" / "intro.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    os.remove(music / "a" / "intro.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    ids = _ids(ctx, music)
    assert len(ids) == 2  # the deleted copy is kept, missing
    with pytest.raises(AmbiguousQuery):
        resolve_query(ctx, "intro")  # a write
    assert resolve_query(ctx, "intro", copies=True) == ids["b/intro.wav"]  # a read


def test_copies_on_disk_beside_a_copy_the_scan_found_gone_are_listed_for_a_write(
        capsys, ctx, tmp_path):
    """The gone copy's file cannot be compared (it may be another song of one length): the
    write lists the tracks and writes nothing (review of dc1b85d, which folded it in)."""
    music = tmp_path / "music"
    for d in "abcd":
        (music / d).mkdir(parents=True)
    _song(music / "d" / "y.wav", 500, seconds=4)
    _song(music / "a" / "x.wav", 220)
    shutil.copyfile(music / "a" / "x.wav", music / "b" / "x.wav")
    shutil.copyfile(music / "a" / "x.wav", music / "c" / "x.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'd' / 'y.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    os.remove(music / "a" / "x.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", "x")
    assert rc != 0 and "matches 3 tracks" in err, err
    assert mix.read_text() == f"{music / 'd' / 'y.wav'}\n"


def test_an_exact_path_through_a_link_then_dotdot_names_the_file_the_system_opens(
        capsys, ctx, tmp_path):
    """Typed in the library's own letter case, ``music/lnk/../Song.wav`` (the system opens
    other/Song.wav) matched the stored music/Song.wav and --add wrote it (review of dc1b85d)."""
    music, other = tmp_path / "music", tmp_path / "other"
    music.mkdir()
    (other / "sub").mkdir(parents=True)
    _song(music / "Song.wav", 220)
    _song(other / "Song.wav", 440, seconds=4)
    _song(music / "member.wav", 330, seconds=5)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    os.symlink(other / "sub", music / "lnk")
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'member.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", f"{music}/lnk/../Song.wav")
    assert rc != 0 and "not in the library" in err, err
    assert mix.read_text() == f"{music / 'member.wav'}\n"
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(music / "Song.wav"))
    assert rc == 0, err  # the plain path still names the track


def test_two_deleted_songs_of_one_hash_are_listed_for_a_write(capsys, ctx, tmp_path):
    music = tmp_path / "music"
    for d in "abc":
        (music / d).mkdir(parents=True)
    _song(music / "a" / "x.wav", 220)
    _song(music / "b" / "x.wav", 330)  # another song, one length: one content hash
    _song(music / "c" / "y.wav", 500, seconds=4)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    listed = f"{music / 'a' / 'x.wav'}\n{music / 'b' / 'x.wav'}\n{music / 'c' / 'y.wav'}\n"
    mix = tmp_path / "mix.m3u"
    mix.write_text(listed)
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    os.remove(music / "a" / "x.wav")
    os.remove(music / "b" / "x.wav")
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove", "x")
    assert rc != 0 and "matches 2 tracks" in err, err
    assert mix.read_text() == listed


def test_a_file_rewritten_in_place_keeping_size_and_mtime_is_compared_again(tmp_path):
    from musicsage.search.same_file import same_files as same_bytes

    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    _song(a, 220, seconds=6)
    shutil.copyfile(a, b)
    assert same_bytes([str(a), str(b)])
    st = os.stat(b)
    with open(b, "r+b") as fh:  # a tagger rewriting in place, keeping the date
        fh.seek(st.st_size // 2)
        fh.write(b"\xff" * 4096)
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not same_bytes([str(a), str(b)])


def test_a_linked_album_retagged_since_the_scan_is_the_librarys(capsys, ctx, tmp_path):
    album = tmp_path / "elsewhere" / "album"
    album.mkdir(parents=True)
    music = tmp_path / "Music"
    music.mkdir()
    for i, where in enumerate((album, album, music)):
        sf.write(where / f"song{i}.wav", np.full(800, 0.1 * (i + 1), np.float32), 8000)
    (music / "linked").symlink_to(album)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    for i in (0, 1):
        with open(album / f"song{i}.wav", "ab") as fh:  # re-tagged: a chunk appended
            fh.write(b"LIST\x04\x00\x00\x00INFO")
    rc, out, err = run_cli(capsys, ctx, "similar", str(album))
    assert rc == 1
    assert "is a folder, not a track: give one of its audio files" in err
    assert "scan it first" not in err


def test_m3u_with_a_tilde_to_a_link_writes_through_the_link(tmp_path, monkeypatch):
    from musicsage.usecases.search import check_m3u_destination

    home = tmp_path / "home"
    (home / "lists").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (home / "lnk.m3u8").symlink_to(home / "lists" / "real.m3u8")
    assert os.fspath(check_m3u_destination(None, "~/lnk.m3u8")) == str(
        home / "lists" / "real.m3u8")


def test_a_path_through_a_dangling_link_then_dotdot_is_not_the_librarys_file(
        capsys, ctx, tmp_path):
    """The link's drive unplugged, ``music/lnk/../Song.wav`` (which, plugged in, opens the
    drive's own Song.wav) was folded to the library's music/Song.wav and written (the final
    review of 3cc71db)."""
    music, drive = tmp_path / "music", tmp_path / "drive"
    music.mkdir()
    (drive / "album").mkdir(parents=True)
    _song(music / "Song.wav", 220)
    _song(music / "member.wav", 330, seconds=5)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    os.symlink(drive / "album", music / "lnk")
    shutil.rmtree(drive)  # unplugged
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'member.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", f"{music}/lnk/../Song.wav")
    assert rc != 0, out
    assert mix.read_text() == f"{music / 'member.wav'}\n"


def test_a_deleted_song_typed_with_dotdot_in_a_linked_music_folder_is_removed(
        capsys, ctx, tmp_path):
    """The music folder reached through a link (~/Music -> /data/music): a deleted song typed
    with `..` (no link before the `..`) still names its stored path, so --remove takes it off
    the playlist (the end review of 50ece71: it was resolved to /data/music/… and matched
    nothing)."""
    data = tmp_path / "data" / "music"
    (data / "Rock").mkdir(parents=True)
    music = tmp_path / "Music"
    os.symlink(data, music)
    _song(data / "gone.wav", 220)
    _song(data / "member.wav", 330, seconds=5)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'member.wav'}\n{music / 'gone.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    os.remove(data / "gone.wav")
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove",
                           f"{music}/Rock/../gone.wav")
    assert rc == 0, err
    assert mix.read_text() == f"{music / 'member.wav'}\n"
