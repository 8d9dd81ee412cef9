"""Ctrl-C (or SIGTERM) during ``tags --library``: it ended in "musicsage tags: interrupted" and
nothing more, wherever MusiCNN was, and a user could not tell that the minutes of tagging done
were kept. It now stops between two tracks, as ``embed`` does, saying how far it got and how
to finish; the next run tags only the rest."""

from __future__ import annotations

import os
import signal

import pytest

from musicsage.cli import main
from music_support import make_music


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for (no weights needed): each call is one track tagged."""
    import musicsage.audio.musicnn.tagger as tagger_mod

    calls: list[str] = []

    def tag(_ctx, fs_path, model, **_kw):
        calls.append(fs_path)
        if len(calls) == 2 and tagger_signal:  # while the second track is tagged
            os.kill(os.getpid(), tagger_signal[0])
        return [("rock", 0.9)]

    tagger_signal: list[int] = []
    monkeypatch.setattr(tagger_mod, "tag_probabilities", tag)
    return calls, tagger_signal


@pytest.mark.parametrize("signum, code, word", [(signal.SIGINT, 130, "interrupted"),
                                                (signal.SIGTERM, 143, "terminated")])
def test_a_stopped_tagging_says_what_it_kept_and_the_rest_is_tagged_next(
        tmp_path, capsys, tagger, signum, code, word):
    calls, tagger_signal = tagger
    music, _playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = ["--data-dir", str(tmp_path / "lib")]
    assert main([*data, "scan", str(music)]) == 0
    capsys.readouterr()
    tagger_signal.append(signum)

    stopped = main([*data, "tags", "--library", "--json"])

    out, err = capsys.readouterr()
    assert stopped == code and out == ""
    assert err.splitlines()[-1] == (
        f"musicsage tags: {word}: the tags found so far are kept (2 of 4 tracks looked at, failed "
        f"ones included); run `musicsage --data-dir {tmp_path / 'lib'} tags --library` again to "
        "tag the rest")
    tagger_signal.clear()
    calls.clear()
    assert main([*data, "tags", "--library"]) == 0
    assert len(calls) == 2  # the two tracks done before the stop were kept
    assert "tagged 2 tracks (2 were tagged before" in capsys.readouterr().out


def test_a_stop_while_touched_files_are_hashed_comes_before_the_next_file(
        tmp_path, capsys, tagger, monkeypatch):
    """Before the first track is tagged, each file touched since the scan is hashed (GiBs on a
    big library): the first Ctrl-C waited for every hash, then said "(0 tracks done)"."""
    import musicsage.library.tag_cache as tag_cache

    music, _playlists, paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = ["--data-dir", str(tmp_path / "lib")]
    assert main([*data, "scan", str(music)]) == 0
    capsys.readouterr()
    for path in paths:  # touched: their stamps are no longer the library's
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5 * 10**9))
    hashed: list[str] = []
    rehashed = tag_cache.rehashed

    def hash_then_ctrl_c(track, stamp):
        hashed.append(track["path"])
        if len(hashed) == 1:
            os.kill(os.getpid(), signal.SIGINT)
        return rehashed(track, stamp)

    monkeypatch.setattr(tag_cache, "rehashed", hash_then_ctrl_c)

    stopped = main([*data, "tags", "--library"])

    assert stopped == 130 and len(hashed) == 1 and tagger[0] == []
    assert capsys.readouterr().err.splitlines()[-1] == (
        "musicsage tags: interrupted: no new track was tagged (tags found before are kept); run "
        f"`musicsage --data-dir {tmp_path / 'lib'} tags --library` again to tag them")


def test_a_stop_while_touched_files_are_hashed_keeps_what_their_hashes_found(
        tmp_path, capsys, tagger, monkeypatch):
    """Touched files found tagged by their hash are kept under their new stamps as each is
    hashed: kept only after every file was, a run stopped while hashing kept none of it, and
    each next run read every touched file again (GiBs) before any tagging."""
    import musicsage.library.tag_cache as tag_cache

    music, _playlists, paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = ["--data-dir", str(tmp_path / "lib")]
    assert main([*data, "scan", str(music)]) == 0
    assert main([*data, "tags", "--library"]) == 0 and len(tagger[0]) == 4
    capsys.readouterr()
    for path in paths:  # touched: their tags are found by their content hashes only
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5 * 10**9))
    hashed: list[str] = []
    rehashed = tag_cache.rehashed

    def hash_then_ctrl_c(track, stamp):
        hashed.append(track["path"])
        if len(hashed) == 2 and stopping:
            os.kill(os.getpid(), signal.SIGINT)
        return rehashed(track, stamp)

    stopping = True
    monkeypatch.setattr(tag_cache, "rehashed", hash_then_ctrl_c)
    assert main([*data, "tags", "--library"]) == 130 and len(hashed) == 2
    stopping = False
    hashed.clear()

    assert main([*data, "tags", "--library"]) == 0

    assert len(hashed) == 2  # only the two files not hashed before the stop are read
    assert len(tagger[0]) == 4  # and none is tagged again
    assert "tagged 0 tracks (4 were tagged before" in capsys.readouterr().out
