"""``tags`` of a silent file, of one too quiet for MusiCNN to hear (99.9 % of it below -43
dBFS: music peaking at -44 to -38 dBFS, and a click in silence, were scored as silence is),
or of one too short to hear, says so in one line: MusiCNN scores any input, and printed
``rock 0.200`` for silence and ``experimental 0.709`` for a one-sample file as if it had heard
them. ``tags --library`` keeps such a track as having no tags (not a failure tried again each
run; "why" names no tag shared with it), and its count line says "1 was tagged before", not
"1 were". A cache written before (silence kept as ``rock 0.200``, or those three tags in
another order) has those entries dropped once, so they are tagged again; a newer version's
cache is refused by ``tags --library`` before any work, when there is a track to tag."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio.musicnn import tagger as tagger_module
from musicsage.audio.musicnn.tagger import MAX_TAG_SECONDS, MIN_TAG_SECONDS, no_tags_reason
from musicsage.cli import main


def _wav(path, samples: np.ndarray, sr: int = 16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples.astype(np.float32), sr)
    return path


def _peaking_at(samples: np.ndarray, db: float) -> np.ndarray:
    return samples / np.max(np.abs(samples)) * 10 ** (db / 20)


_NOISE = np.random.default_rng(0).normal(size=16000 * 5)
_TONE = np.sin(2 * np.pi * 440 * np.arange(16000 * 2) / 16000)
_CLICK = np.zeros(16000 * 30)
_CLICK[16000 * 10] = 0.5  # one click at -6 dBFS: the network still answered as to silence
_QUIET = "it is too quiet to tag (99.9 % of its samples below -43 dBFS)"


@pytest.mark.parametrize("samples, words", [
    (np.zeros(16000 * 5), "it is silent (no sample above -60 dBFS)"),
    (np.random.default_rng(0).normal(size=16000 * 5) * 1e-5, "it is silent"),
    # MusiCNN scores these as it scores silence (rock 0.20, indie 0.13, electronic 0.11)
    (_peaking_at(_NOISE, -57), _QUIET),
    (_peaking_at(_TONE, -50), _QUIET),
    (_peaking_at(_TONE, -44), _QUIET),  # music peaking at -44 to -38 dBFS: as silence
    (_CLICK, _QUIET),
    (np.array([0.1]), "it is too short (1 sample of audio; tags need at least 0.5 s)"),
    (np.full(3200, 0.2), "it is too short (0.20 s of audio; tags need at least 0.5 s)"),
])
def test_nothing_to_hear_is_one_line_not_tags(tmp_path, data_dir, capsys, samples, words):
    clip = _wav(tmp_path / "clip.wav", samples)
    code = main(["tags", str(clip), "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith(f"musicsage tags: {clip} has no tags: {words}") and err.count("\n") == 1


@pytest.mark.parametrize("db", [-30, -41, -42.5])
def test_quiet_music_and_half_a_second_are_tagged(db):
    """Music at -30 dBFS tags as itself (at -36 dBFS it already did): only what the network
    cannot hear has no tags; a tone just above the floor is heard. A whole Brahms file peaking
    at -36 dBFS, heard, is at -42.4 dBFS by the 99.9th percentile: -42 called it too quiet."""
    t = np.arange(int(16000 * MIN_TAG_SECONDS)) / 16000
    tone = 10 ** (db / 20) * np.sin(2 * np.pi * 440 * t)
    assert no_tags_reason(tone.astype(np.float32)) is None


def test_only_the_part_tagged_is_judged_and_said():
    """A file longer than the 20 minutes tagged is judged on those: silent there is said so."""
    first = np.zeros(int(MAX_TAG_SECONDS * 16000), np.float32)
    assert no_tags_reason(first, cut=True) == ("it is silent in its first 20 minutes (no "
                                               "sample above -60 dBFS)")
    first[-1] = 0.002  # -54 dBFS: quiet, not silent
    assert no_tags_reason(first, cut=True) == ("it is too quiet to tag in its first 20 "
                                               "minutes (99.9 % of its samples below -43 dBFS)")


@pytest.mark.parametrize("seconds, words", [(2.0, "it is silent (no"),
                                            (3.0, "it is silent in its first 2 minutes (no")])
def test_first_minutes_said_only_of_a_longer_file(tmp_path, data_dir, capsys, monkeypatch,
                                                  seconds, words):
    """A file exactly as long as the part tagged was said silent "in its first 20 minutes"."""
    monkeypatch.setattr(tagger_module, "MAX_TAG_SECONDS", 120.0)
    clip = _wav(tmp_path / "clip.wav", np.zeros(int(16000 * 60 * seconds)))
    assert main(["tags", str(clip), "--data-dir", str(data_dir)]) == 1
    assert capsys.readouterr().err.startswith(f"musicsage tags: {clip} has no tags: {words}")


@pytest.fixture
def tagger(monkeypatch):
    """MusiCNN stood in for past the checks that come first (decoding, silence)."""
    import torch

    import musicsage.audio.musicnn.network as network

    class Net:
        labels = ["rock", "jazz"]
        module = None

    def run_network(_module, patches):
        return {"taggram": torch.tensor(np.tile([[0.9, 0.1]], (len(patches), 1)))}

    monkeypatch.setattr(network, "load_network", lambda *a, **kw: Net())
    monkeypatch.setattr(network, "run_network", run_network)


def test_library_keeps_a_silent_track_as_tagged_without_tags(ctx, tmp_path, capsys, tagger):
    from musicsage.usecases.tags import track_tags_of

    music = tmp_path / "music"
    data = ["--data-dir", str(ctx.data_dir)]
    _wav(music / "silence.wav", np.zeros(16000 * 2))  # track 1
    assert main(["scan", str(music), "--json", *data]) == 0
    capsys.readouterr()
    assert main(["tags", "--library", *data]) == 0
    assert capsys.readouterr().out.startswith("tagged 1 track (0 were tagged before, 0 failed")

    t = np.arange(16000 * 2) / 16000
    _wav(music / "tone.wav", 0.3 * np.sin(2 * np.pi * 440 * t))  # track 2
    assert main(["scan", str(music), "--json", *data]) == 0
    capsys.readouterr()
    assert main(["tags", "--library", *data]) == 0
    assert capsys.readouterr().out.startswith("tagged 1 track (1 was tagged before, 0 failed")

    assert main(["tags", "--library", "--json", *data]) == 0  # both kept: nothing to redo
    report = json.loads(capsys.readouterr().out)
    assert (report["tagged"], report["known"], report["failed"]) == (0, 2, [])
    assert track_tags_of(ctx, 1) == []  # the window's tags line: "none"
    assert [t.tag for t in track_tags_of(ctx, 2)] == ["rock", "jazz"]


_SILENCE = json.dumps([["rock", 0.20031], ["indie", 0.12587], ["electronic", 0.11402],
                       ["pop", 0.1]])
_UNHEARD = json.dumps([["rock", 0.1996], ["electronic", 0.1289], ["indie", 0.1158],
                       ["alternative", 0.1002]])  # a waltz peaking at -40 dBFS: reordered


@pytest.mark.parametrize("top, unheard", [
    ([["rock", 0.2014], ["indie", 0.123], ["electronic", 0.1213]], True),  # Brahms, -50 dBFS
    ([["rock", 0.2036], ["electronic", 0.1177], ["indie", 0.1124]], True),  # -38 dBFS
    ([["rock", 0.2161], ["indie", 0.1335], ["alternative", 0.1058]], False),  # heard
    ([["rock", 0.30], ["indie", 0.12], ["electronic", 0.11]], False),  # a rock track
])
def test_the_nothing_heard_answer_in_any_order(top, unheard):
    """Only silence's exact answer was matched: a too quiet track's kept its made-up tags."""
    from musicsage.library.tag_cache import is_silence_answer

    assert is_silence_answer(json.dumps(top)) is unheard


def _cache(ctx):
    import sqlite3

    return sqlite3.connect(ctx.cache_dir / "tags.sqlite3", isolation_level=None)


def _tagged_library(ctx, tmp_path, capsys) -> list[str]:
    """Three tracks tagged as they are now, their entries then set back as a cache written
    before silence had no tags holds them: version 0, the silent track's tags the network's
    answer to silence, and two entries that only look alike (kept)."""
    music = tmp_path / "music"
    data = ["--data-dir", str(ctx.data_dir)]
    t = np.arange(16000 * 2) / 16000
    _wav(music / "a_silence.wav", np.zeros(16000 * 2))
    _wav(music / "b_tone.wav", 0.3 * np.sin(2 * np.pi * 440 * t))
    _wav(music / "c_tone.wav", 0.3 * np.sin(2 * np.pi * 660 * t))
    assert main(["scan", str(music), "--json", *data]) == 0
    assert main(["tags", "--library", *data]) == 0
    capsys.readouterr()
    with _cache(ctx) as cache:
        paths = [p for (p,) in cache.execute("SELECT path FROM track_tags ORDER BY path")]
        like = [json.dumps([["rock", 0.2], ["indie", 0.2], ["electronic", 0.114]]), _SILENCE]
        for path, tags in zip(paths, [_UNHEARD, *like]):
            cache.execute("UPDATE track_tags SET tags = ? WHERE path = ?", (tags, path))
        cache.execute("UPDATE track_tags SET model = 'MTT_musicnn' WHERE path = ?", (paths[2],))
        cache.execute("PRAGMA user_version = 0")
    return paths


def test_an_older_cache_tags_its_silent_tracks_again(ctx, tmp_path, capsys, tagger):
    """Tagged before silence had no tags, a silent track kept 'rock 0.200' for ever: nothing
    said the cache was older, and `tags --library` counted the track tagged."""
    from musicsage.usecases.tags import track_tags_of

    paths = _tagged_library(ctx, tmp_path, capsys)
    assert main(["tags", "--library", "--json", "--data-dir", str(ctx.data_dir)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["tagged"], report["failed"]) == (2, []), report  # the silent one, and c
    assert track_tags_of(ctx, 1) == []
    with _cache(ctx) as cache:
        assert cache.execute("PRAGMA user_version").fetchone()[0] == 1
        kept = dict(cache.execute("SELECT path || ' ' || model, tags FROM track_tags"))
    assert json.loads(kept[f"{paths[1]} MSD_musicnn"])[1] == ["indie", 0.2], "not silence"
    assert kept[f"{paths[2]} MTT_musicnn"] == _SILENCE, "another tag set: kept"
    assert kept[f"{paths[0]} MSD_musicnn"] == "[]"


@pytest.mark.parametrize("to_do", [True, False])
def test_a_newer_version_s_cache_is_left_as_it_is(ctx, tmp_path, capsys, tagger, to_do):
    """`tags --library` tagged into it and threw the work away, every run: now refused when
    there is a track to tag; with every track found in it, nothing is lost and all is well
    (it was refused anyway, exit 1, though only read)."""
    from musicsage.library.tag_cache import store_tags

    paths = _tagged_library(ctx, tmp_path, capsys)
    with _cache(ctx) as cache:
        cache.execute("PRAGMA user_version = 7")
        if not to_do:  # c_tone's entry is for the model tagged, as a and b's are
            cache.execute("UPDATE track_tags SET model = 'MSD_musicnn'")
        before = sorted(cache.execute("SELECT * FROM track_tags"))
    assert not store_tags(ctx.cache_dir, {"path": "/x.wav", "size": 1, "mtime_ns": 1},
                          "MSD_musicnn", [("jazz", 0.5)])
    code = main(["tags", "--library", "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    cache = ctx.cache_dir / "tags.sqlite3"
    if to_do:
        assert (code, out, err) == (1, "", f"musicsage tags: cannot keep the tags: {cache} was"
                                    " written by a newer musicsage (upgrade musicsage, or "
                                    "delete it to tag everything again)\n")
    else:
        assert (code, err) == (0, "")
        assert out.startswith("tagged 0 tracks (3 were tagged before, 0 failed"), out
    with _cache(ctx) as cache:
        assert cache.execute("PRAGMA user_version").fetchone()[0] == 7
        assert sorted(cache.execute("SELECT * FROM track_tags")) == before
    assert paths
