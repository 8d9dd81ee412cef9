"""What a list may show: copies of the query folded, variety, through the real DB and index."""

from __future__ import annotations

import json

import numpy as np
import pytest
from search_helpers import add_playlist, add_track

from musicsage import cli
from musicsage.search.lists import ListCurator, copy_key, title_key
from musicsage.usecases.search import similar_tracks
from musicsage.usecases.suggest import suggest_tracks


@pytest.mark.parametrize("title", ["Tender Love (Single Version)", "Tender Love - 2011 Remaster",
                                   "tender  love", "Tender Love [Album Version]",
                                   "Tender Love (feat. Cy)", "Tender Love - Remastered",
                                   "Ｔｅｎｄｅｒ Ｌｏｖｅ", "Tender Love (Original Mix)",
                                   "Tender Love (Mono Mix)", "Tender Love - Single Mix",
                                   "Tender Love (Stereo Mix)", "Tender Love (feat. Jimmy Dub)",
                                   "Tender Love (with The Live Band) - Radio Edit",
                                   "Tender Love (Radio Mix)", "Tender Love - Radio Version",
                                   "Tender Love (Single Version [Remastered])"])
def test_versions_of_a_song_share_its_title_key(title):
    """A mix word alone, or a featured artist named like a take ("Dub", "Live"), is no other
    recording: those copies were listed beside the song, and a radio played it twice."""
    assert title_key(title) == title_key("Tender Love") == "tender love"


def test_one_live_take_has_one_key_however_a_release_names_it():
    """A live take's single, album and remaster were listed as three neighbours of each
    other: the ending's words that name the take count, not "Version", a year or "Remastered".
    Two concerts, two remixers, stay two recordings."""
    names = ["Tender Love (Live Version)", "Tender Love (Live)", "Tender Love - Live",
             "Tender Love - Live / Remastered 2011", "Tender Love [Live] (feat. Cy)",
             "Tender Love (Live 2011 Remaster)", "Tender Love (Live [Remastered])",
             "Tender Love - Live Radio Edit", "Tender Love (Live) - Remastered 2011"]
    assert {title_key(name) for name in names} == {title_key("Tender Love (Live)")}
    assert title_key("Tender Love (Live)") not in {title_key("Tender Love"),
                                                   title_key("Tender Love (Acoustic Version)")}
    assert (title_key("Tender Love (Live at Wembley)")
            != title_key("Tender Love - Live at Budokan / Remastered 2011"))
    assert title_key("Tender Love (Ann Remix)") != title_key("Tender Love (Bo Remix)")
    assert title_key("Tender Love (Ann Remix)") == title_key("Tender Love - Ann Remix / Radio Edit")
    assert (title_key("Cheerleader - Felix Jaehn Remix Radio Edit")
            == title_key("Cheerleader (Felix Jaehn Remix) - Radio Edit"))


@pytest.mark.parametrize("title, flat", [
    ("Tender Love (Live [Remastered])", "Tender Love (Live)"),
    ("Tender Love [Live (Demo)]", "Tender Love (Live Demo)"),
    ("Tender Love (Dance [Single Version])", "Tender Love (Dance)")])
def test_a_bracket_inside_a_bracket_is_read_as_its_words(title, flat):
    """The outer bracket was read up to the inner one's end: "tender love live)", no key of
    the live take, a stray ")" in it."""
    assert title_key(title) == title_key(flat)


@pytest.mark.parametrize("title", ["Tender Love (Live)", "Tender Love (Remix)",
                                   "Tender Love (Acoustic)", "Tender Loving", "Love Tender"])
def test_other_recordings_keep_their_own_key(title):
    assert title_key(title) != title_key("Tender Love")


def test_untagged_tracks_are_nobodys_copy():
    assert copy_key({"title": "Track 01", "artist": None}) is None
    assert copy_key({"title": "", "artist": "Ann"}) is None
    assert copy_key({"title": "Song", "artist": "Ann feat. Bo"}) == ("song", "ann")


def test_the_curator_folds_anchor_copies_and_keeps_one_per_artist():
    rows = [{"track_id": i, "title": t, "artist": a} for i, (t, a) in enumerate([
        ("Hit (Radio Edit)", "Ann"), ("Other", "Ann"), ("Hit", "Ann"), ("Blue", "Bo"),
        ("Blue - Remastered", "Bo"), ("Green", "Cy"), ("Red", "Bo")], start=1)]
    plain = ListCurator(10, anchors=[{"title": "Hit", "artist": "Ann"}])
    for r in rows:
        plain.offer(r)
    assert [r["track_id"] for r in plain.rows] == [2, 4, 6, 7]  # copies of the anchor, then of Blue
    assert plain.folded == [1, 3] and [r["rank"] for r in plain.rows] == [1, 2, 3, 4]
    varied = ListCurator(10, anchors=[{"title": "Hit", "artist": "Ann"}], variety=True)
    for r in rows:
        varied.offer(r)
    assert [r["track_id"] for r in varied.rows] == [2, 4, 6]


def test_taken_artists_count_for_variety_and_anchors_alone_do_not():
    seed = {"track_id": 1, "title": "Hit", "artist": "X"}
    same = {"track_id": 2, "title": "Other", "artist": "x feat. Y"}
    assert ListCurator(5, anchors=[seed], variety=True).offer(dict(same))  # a list of neighbours
    radio = ListCurator(5, anchors=[seed], variety=True, taken_artists=["X", None])
    assert not radio.offer(dict(same)) and radio.passed_over == [2]
    assert radio.offer({"track_id": 3, "title": "Blue", "artist": "Bo"})
    assert ListCurator(5, taken_artists=["X"]).offer(dict(same))  # only with variety


@pytest.fixture
def crowded(ctx, library):
    """A query by Ann, two copies of it (single, remaster: near-identical vectors), a live
    take, then five more Ann songs closest to it, then other artists further away."""
    rng = np.random.default_rng(1)
    base = rng.normal(size=8).astype(np.float32)
    conn = library.conn
    specs = [("Tender Love", "Ann", 0.0), ("Tender Love (Single Version)", "Ann", 0.001),
             ("Tender Love - 2011 Remaster", "ANN", 0.002), ("Tender Love (Live)", "Ann", 0.05)]
    specs += [(f"Ann song {i}", "Ann", 0.1 + 0.01 * i) for i in range(5)]
    specs += [(f"Tune {i}", f"Band {i}", 0.6 + 0.05 * i) for i in range(10)]
    ids, vectors = [], []
    for i, (title, artist, dist) in enumerate(specs):
        ids.append(add_track(conn, str(library.root / f"{i:02d}.wav"), title=title, artist=artist))
        direction = rng.normal(size=8).astype(np.float32)
        vectors.append(base + dist * 8 * direction / np.linalg.norm(direction))
    library.ids = ids
    library.embed(np.stack(vectors))
    return ids


def test_copies_of_the_query_never_appear(ctx, crowded):
    result = similar_tracks(ctx, crowded[0], k=8, space="audio")
    listed = [r["track_id"] for r in result.audio]
    assert crowded[1] not in listed and crowded[2] not in listed
    assert sorted(result.folded["audio"]) == sorted(crowded[1:3])
    assert listed[0] == crowded[3], "the live take is another recording: it stays"
    assert len(listed) == 8 and [r["rank"] for r in result.audio] == list(range(1, 9))
    # a copy as the query folds the original out the same way
    again = similar_tracks(ctx, crowded[1], k=5, space="audio")
    assert crowded[0] not in [r["track_id"] for r in again.audio]


def test_suggestions_name_the_copies_of_members_they_left_out(ctx, capsys, crowded, library):
    """A playlist holding the song gets neither its single nor its remaster suggested — and
    says so, in the result, its JSON and the command line's text."""
    pid = add_playlist(library.conn, "/p/love.m3u", "Love", [crowded[0], crowded[10]])
    library.conn.commit()
    result = suggest_tracks(ctx, pid, k=6, space="audio")
    listed = [r["track_id"] for r in result.audio]
    assert crowded[1] not in listed and crowded[2] not in listed and len(listed) == 6
    assert result.folded_ids == sorted(crowded[1:3])
    assert sorted(result.to_dict()["folded"]["audio"]) == sorted(crowded[1:3])
    assert cli.main(["suggest", str(pid), "-k", "6", "--space", "audio", "--data-dir",
                     str(ctx.data_dir)]) == 0
    err = capsys.readouterr().err  # a note: never into a redirected list
    assert f"note: copies of its tracks left out: #{crowded[1]}, #{crowded[2]}" in err
    plain = add_playlist(library.conn, "/p/tunes.m3u", "Tunes", [crowded[12], crowded[13]])
    library.conn.commit()
    assert "folded" not in suggest_tracks(ctx, plain, k=6, space="audio").to_dict()


def test_variety_keeps_one_track_per_artist(ctx, crowded):
    plain = similar_tracks(ctx, crowded[0], k=6, space="audio")
    assert sum(r["artist"] == "Ann" for r in plain.audio) == 6, "Ann fills the plain list"
    varied = similar_tracks(ctx, crowded[0], k=6, space="audio", variety=True)
    artists = [r["artist"].casefold() for r in varied.audio]
    assert len(artists) == 6 and len(set(artists)) == 6 and artists.count("ann") == 1
    assert varied.variety and varied.to_dict()["variety"] is True


def test_variety_from_the_command_line(capsys, ctx, crowded):
    rc = cli.main(["similar", str(crowded[0]), "-k", "4", "--space", "audio", "--variety",
                   "--json", "--data-dir", str(ctx.data_dir)])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and data["variety"] is True
    assert len({r["artist"].casefold() for r in data["audio"]}) == 4
    assert set(data["folded"]["audio"]) == set(crowded[1:3])


def test_the_curator_folds_a_file_copied_by_its_content_hash():
    hashes = {1: "aa", 2: "aa", 3: "bb", 4: "cc", 5: "cc"}
    asked: list[list[int]] = []

    def contents(ids):
        asked.append(list(ids))
        return {t: hashes[t] for t in ids if t in hashes}

    curator = ListCurator(10, anchors=[{"track_id": 1, "title": "track01", "artist": None}],
                          contents=contents)
    rows = [{"track_id": t, "title": f"take {t}", "artist": None} for t in (2, 3, 4, 5, 6)]
    curator.learn_contents([r["track_id"] for r in rows])
    for r in rows:
        curator.offer(r)
    assert curator.folded == [2], "the anchor's file under another name is its copy"
    assert [r["track_id"] for r in curator.rows] == [3, 4, 6], "one of two copies of a file"
    assert asked == [[1], [2, 3, 4, 5, 6]]
    tags_only = ListCurator(10, anchors=[{"track_id": 1, "title": "track01", "artist": None}])
    for r in rows:
        tags_only.offer(r)
    assert len(tags_only.rows) == 5 and not tags_only.folded  # no hashes: nobody's copy


@pytest.fixture
def untagged_copies(ctx, tmp_path):
    """Six untagged WAVs of different tones, scanned and embedded; the first one copied byte
    for byte under two other names (one in another folder) before the scan."""
    import shutil

    import soundfile as sf

    music = tmp_path / "untagged"
    (music / "backup").mkdir(parents=True)
    sr = 16000
    t = np.arange(sr) / sr
    for i in range(6):
        tone = 0.3 * np.sin(2 * np.pi * (200.0 + 90 * i) * t) * (1 + 0.2 * np.sin(3 * t * i))
        sf.write(str(music / f"track{i:02d}.wav"), tone.astype(np.float32), sr)
    shutil.copyfile(music / "track00.wav", music / "track00 (1).wav")
    shutil.copyfile(music / "track00.wav", music / "backup" / "old take.wav")
    for args in (["scan", str(music)], ["embed", "--model", "spectral"]):
        assert cli.main([*args, "--data-dir", str(ctx.data_dir)]) == 0
    from musicsage.library import db
    from musicsage.library import paths as P
    from musicsage.library import queries as q

    conn = db.connect(ctx)
    ids = {name: q.track_by_path(conn, P.from_fs(str(music / name)))["id"]
           for name in ("track00.wav", "track00 (1).wav", "backup/old take.wav")}
    assert all(row["artist"] is None for row in q.track_summaries(conn, ids.values()).values())
    return ids


def test_an_untagged_file_copied_under_another_name_is_folded(ctx, capsys, untagged_copies):
    original, copy, backup = untagged_copies.values()
    result = similar_tracks(ctx, original, k=5, space="audio")
    listed = [r["track_id"] for r in result.audio]
    assert copy not in listed and backup not in listed
    assert sorted(result.folded["audio"]) == sorted([copy, backup])
    assert len(listed) == 5, "the five other tones are listed"
    from musicsage.usecases.radio import radio_tracks

    for mode in ("close", "drift"):
        queue = [r["track_id"] for r in radio_tracks(ctx, copy, length=5, mode=mode).tracks]
        assert original not in queue and backup not in queue and len(queue) == 5
    capsys.readouterr()
    assert cli.main(["similar", str(original), "--space", "audio", "--data-dir",
                     str(ctx.data_dir)]) == 0
    assert "note: copies of the query left out" in capsys.readouterr().err
