"""``suggest --add/--remove`` write the user's playlist file: the track a QUERY names must be
the one the user meant, never a near match. A file outside the library matched a library
file of the same name; a path differing from a track's only in letter case (another file on
Linux) was taken for it; two songs of one length between the same silences (one content
hash) were taken for one file copied, by name and by ``--add``'s duplicate check."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from search_helpers import run_cli

from musicsage.library.moves import content_hash


def _song(path, tone: float, seconds: int = 3, rate: int = 44100) -> None:
    """A tone between a second of silence at each end: songs as long are as many bytes, and
    their first and last 64 KiB (all the content hash reads) are the same silence."""
    x = (0.3 * np.sin(2 * np.pi * tone * np.arange(seconds * rate) / rate)).astype(np.float32)
    x[:rate] = x[-rate:] = 0
    sf.write(path, x, rate, subtype="PCM_16")


@pytest.fixture
def lib(capsys, ctx, tmp_path):
    """``music/a/intro.wav``, ``music/a/other.wav`` (longer) and ``music/b/intro.wav`` (another
    song of a/intro's length and silences) scanned; ``mix.m3u`` holds other and b/intro.
    Returns the track ids by relative path, and the playlist file."""
    music = tmp_path / "music"
    (music / "a").mkdir(parents=True)
    (music / "b").mkdir()
    _song(music / "a" / "intro.wav", 220)
    _song(music / "a" / "other.wav", 440, seconds=4)
    _song(music / "b" / "intro.wav", 330)
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    mix = tmp_path / "mix.m3u"
    mix.write_text(f"{music / 'a' / 'other.wav'}\n{music / 'b' / 'intro.wav'}\n")
    assert run_cli(capsys, ctx, "scan", "--playlists", str(mix))[0] == 0
    from musicsage.library.db import connect

    ids = {os.path.relpath(p, music): int(t)
           for t, p in connect(ctx).execute("SELECT id, path FROM tracks")}
    return ids, mix


def test_a_file_outside_the_library_is_not_taken_for_a_library_file_of_its_name(
        capsys, ctx, tmp_path, lib, monkeypatch):
    """``cd Downloads && suggest mix --remove other.wav`` removed the library's other.wav,
    another song, by the file-name tier of the text match."""
    _, mix = lib
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    _song(downloads / "other.wav", 600, seconds=2)
    monkeypatch.chdir(downloads)
    before = mix.read_bytes()
    for args in (["suggest", "mix", "--remove", "other.wav"],
                 ["suggest", "mix", "--add", "other.wav"], ["similar", "other.wav"]):
        rc, out, err = run_cli(capsys, ctx, *args)
        assert (rc, out) == (1, ""), (args, out, err)
        assert err.strip().endswith("other.wav is not in the library (scan its folder first)")
    assert mix.read_bytes() == before


def test_a_title_is_still_a_title_beside_a_file_of_that_name(capsys, ctx, tmp_path, lib,
                                                              monkeypatch):
    """Where a file outside the library bears a track's exact title, the title is read, as
    for a folder of that name; only the looser tiers (a file's name) are left out."""
    from musicsage.library.db import connect

    ids, _ = lib
    conn = connect(ctx)
    conn.execute("UPDATE tracks SET title = 'Overture' WHERE id = ?", (ids["a/other.wav"],))
    conn.commit()
    here = tmp_path / "here"
    here.mkdir()
    (here / "Overture").write_bytes(b"not a song")
    monkeypatch.chdir(here)
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove", "Overture")
    assert rc == 0 and "removed 1 track" in out.lower() + err.lower(), (out, err)
    from musicsage.usecases.search import resolve_query

    assert resolve_query(ctx, "Overt") == ids["a/other.wav"]  # no file so named: every tier


def test_a_path_differing_only_in_letter_case_is_another_file(capsys, ctx, tmp_path, lib):
    """``music/a/Other.wav`` beside the library's ``other.wav`` (Linux: two files) was
    taken for it: ``suggest --remove`` took the library's song out of the playlist."""
    ids, mix = lib
    library_file = tmp_path / "music" / "a" / "other.wav"
    twin = library_file.with_name("Other.wav")
    _song(twin, 600, seconds=2)
    if os.path.samefile(library_file, twin):
        pytest.skip("a case-insensitive filesystem: the two names are one file")
    before = mix.read_bytes()
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove", str(twin))
    assert (rc, out) == (1, ""), (out, err)
    assert err.strip().endswith(f"{twin} is not in the library (scan its folder first)")
    assert mix.read_bytes() == before
    twin.unlink()  # no file of its own: the case-insensitive match still names the track
    from musicsage.usecases.search import resolve_query

    assert resolve_query(ctx, str(twin)) == ids["a/other.wav"]


def test_two_songs_of_one_content_hash_are_not_one_file_copied(capsys, ctx, tmp_path, lib):
    """"intro" names a/intro.wav and b/intro.wav, two songs of one content hash: it took
    #1 ("matches 2 copies of one file"), and ``--remove intro`` could take the other's
    entry out of the playlist. Their bytes differ: the user is asked which."""
    ids, mix = lib
    a, b = ids["a/intro.wav"], ids["b/intro.wav"]
    music = tmp_path / "music"
    size = (music / "a" / "intro.wav").stat().st_size
    assert content_hash(str(music / "a" / "intro.wav"), size) == content_hash(
        str(music / "b" / "intro.wav"), size)
    before = mix.read_bytes()
    for args in (["similar", "intro"], ["suggest", "mix", "--remove", "intro"],
                 ["suggest", "mix", "--add", "intro"]):
        rc, out, err = run_cli(capsys, ctx, *args)
        assert rc == 1, (args, out, err)
        assert "matches 2 tracks" in err and "copies of one file" not in err, err
        listed = {int(w[0]) for w in map(str.split, out.splitlines()) if w and w[0].isdigit()}
        assert listed == {a, b}, out  # the candidate lines, each starting with its id
    assert mix.read_bytes() == before


def test_byte_identical_copies_are_still_one_file(capsys, ctx, tmp_path, lib):
    """Two files of the very same bytes, one title naming both: the first is taken, with a
    note, as before; the other song of their content hash so titled makes it ambiguous."""
    from musicsage.library.db import connect

    music = tmp_path / "music"
    (music / "c").mkdir()
    (music / "c" / "intro.wav").write_bytes((music / "a" / "intro.wav").read_bytes())
    assert run_cli(capsys, ctx, "scan", str(music))[0] == 0
    conn = connect(ctx)
    ids = {os.path.relpath(p, music): int(t)
           for t, p in conn.execute("SELECT id, path FROM tracks")}
    a, c = ids["a/intro.wav"], ids["c/intro.wav"]
    conn.executemany("UPDATE tracks SET title = 'Twins' WHERE id = ?", [(a,), (c,)])
    conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", "Twins")
    assert rc == 0, err
    assert f"'Twins' matches 2 copies of one file: took #{a} (#{c} the same content)" in err
    conn.execute("UPDATE tracks SET title = 'Twins' WHERE id = ?", (ids["b/intro.wav"],))
    conn.commit()
    rc, out, err = run_cli(capsys, ctx, "similar", "Twins")
    assert rc == 1 and "matches 3 tracks" in err, (out, err)


def test_an_explicit_add_of_another_song_of_a_members_hash_adds_it(capsys, ctx, lib):
    """``suggest mix --add 1`` said "skipped #1: a copy of #3 (the same file content),
    already in the playlist" of another song; a byte-identical file is still skipped."""
    ids, mix = lib
    a, b = ids["a/intro.wav"], ids["b/intro.wav"]
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(a))
    assert rc == 0, err
    assert "copy of" not in out + err
    assert mix.read_text().splitlines()[-1].endswith(os.path.join("a", "intro.wav"))
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--remove", str(a))
    assert rc == 0, err
    a_file = mix.parent / "music" / "a" / "intro.wav"
    a_file.write_bytes((mix.parent / "music" / "b" / "intro.wav").read_bytes())
    assert run_cli(capsys, ctx, "scan", str(mix.parent / "music"))[0] == 0
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(a))
    assert rc == 0 and f"skipped #{a}: a copy of #{b} (the same file content)" in out + err
