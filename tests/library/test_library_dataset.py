"""Dataset dir import/export and ``stats``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from library_audio import write_audio

from musicsage.context import AppContext
from musicsage.errors import MusicsageError
from musicsage.files import claim_output_dir
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, get_track, import_dataset, library_stats,
                                        list_playlists, list_tracks, playlist_track_ids,
                                        scan_library, search_tracks)


def read_dir(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


@pytest.fixture
def built_library(ctx, tmp_path):
    music, lists = tmp_path / "music", tmp_path / "lists"
    for i, name in enumerate(["a", "b", "c", "d"]):
        write_audio(music / f"{name}.flac", seconds=0.2,
                    tags={"title": f"T {name}", "artist": "Art, Ist", "album": 'Al "bum"'})
    lists.mkdir()
    (lists / "one.m3u8").write_text("../music/a.flac\n../music/b.flac\n../music/a.flac\n/missing.mp3\n")
    (lists / "two.m3u8").write_text("../music/c.flac\n../music/a.flac\n")
    scan_library(ctx, [music], [lists])
    conn = connect(ctx)
    rng = np.random.default_rng(0)
    for t in q.all_tracks(conn)[:3]:  # d has no embedding
        q.store_embedding(conn, t["id"], "spectral", "spectral-v1", rng.normal(size=8))
    return ctx


def test_export_import_export_round_trip(built_library, tmp_path):
    first = tmp_path / "export1"
    rep = export_dataset(built_library, first)
    assert rep.audio_model == "spectral" and rep.features == (3, 8) and rep.skipped_tracks == 1
    assert "1 track without a spectral" in " ".join(rep.notes) and "was left out" in " ".join(rep.notes)
    assert sorted(read_dir(first)) == [".musicsage-output", "features.json", "features.npy",
                                       "memberships.csv", "playlists.csv", "tracks.csv"]
    rows = list(csv.DictReader(open(first / "tracks.csv", encoding="utf-8")))
    assert [r["title"] for r in rows] == ["T a", "T b", "T c"]
    assert rows[0]["artist"] == "Art, Ist" and rows[0]["album"] == 'Al "bum"'
    members = list(csv.reader(open(first / "memberships.csv")))
    assert members == [["playlist_id", "track_id"], ["1", "1"], ["1", "2"], ["2", "3"], ["2", "1"]]

    fresh = AppContext.create(tmp_path / "fresh")
    imported = import_dataset(fresh, first)
    assert (imported.tracks, imported.playlists, imported.memberships) == (3, 2, 4)
    assert imported.audio_model == "spectral"
    # the playlists keep their names (they were once named by their ids: "1", "2")
    assert sorted(p.name for p in list_playlists(fresh)) == ["one", "two"]
    second = tmp_path / "export2"
    export_dataset(fresh, second)
    assert read_dir(first) == read_dir(second)
    ids, m = q.get_embeddings(connect(fresh), "spectral")
    ids0, m0 = q.get_embeddings(connect(built_library), "spectral")
    assert ids.tolist() == ids0.tolist() and np.array_equal(m, m0)


def test_an_export_never_replaces_files_it_did_not_write(built_library, tmp_path):
    """``export DIR`` replaced same-named files in any folder — a hand-made dataset dir, a
    user's own tracks.csv. It now refuses, naming the file, and writes nothing; a folder an
    export wrote is written again, and other files there are left alone."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tracks.csv").write_text("my own notes\n")
    (mine / "notes.txt").write_text("x")
    before = read_dir(mine)
    with pytest.raises(MusicsageError, match=r"tracks\.csv is already there.*nothing was written"):
        export_dataset(built_library, mine)
    assert read_dir(mine) == before

    out = tmp_path / "out"
    export_dataset(built_library, out)
    (out / "notes.txt").write_text("kept")
    (out / "tracks.csv").write_text("stale\n")
    export_dataset(built_library, out)
    assert (out / "notes.txt").read_text() == "kept"
    assert (out / "tracks.csv").read_text().startswith("track_id,")


def test_a_trainings_mark_does_not_let_an_export_replace_files(built_library, tmp_path):
    """The mark said only that some run of this app wrote the folder: a dataset dir a
    ``train --out`` had marked (as it did before it refused dataset dirs) then let ``export``
    replace the user's own tracks.csv. The mark now names the commands; each replaces only
    in a folder it wrote itself, and an export into a training's folder adds to it."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "tracks.csv").write_text("track_id\nmy-own\n")
    (mine / ".musicsage-output").write_text('{"app": "musicsage", "command": "train"}\n')
    before = read_dir(mine)
    with pytest.raises(MusicsageError, match=r"tracks\.csv is already there"):
        export_dataset(built_library, mine)
    assert read_dir(mine) == before

    trained = tmp_path / "trained"
    claim_output_dir(trained, ("embeddings.npy",), "train")
    export_dataset(built_library, trained)
    export_dataset(built_library, trained)  # its own export now
    mark = json.loads((trained / ".musicsage-output").read_text())
    assert mark["commands"] == ["export", "train"]


def test_export_without_embeddings_has_all_tracks_and_no_features(ctx, tmp_path):
    write_audio(tmp_path / "m" / "x.wav", seconds=0.2)
    scan_library(ctx, [tmp_path / "m"])
    out = tmp_path / "out"
    claim_output_dir(out, (), "export")  # an earlier export's folder, its vectors now stale
    np.save(out / "features.npy", np.ones((1, 3), dtype=np.float32))  # what it wrote
    rep = export_dataset(ctx, out)
    assert rep.tracks == 1 and rep.features is None
    assert sorted(read_dir(out)) == [".musicsage-output", "memberships.csv", "playlists.csv",
                                     "tracks.csv"]


def test_export_on_a_full_disk_names_the_file_and_leaves_the_earlier_export(built_library,
                                                                            tmp_path):
    """A write the disk refuses (here: a file-size limit of 2 KB, as a full disk fails it)
    while features.npy (12 KB) is written. numpy's writer left it cut short after the CSVs had
    been replaced (a torn dataset dir) and said only "N requested and M written"."""
    import resource

    conn = connect(built_library)
    rng = np.random.default_rng(1)
    for t in q.all_tracks(conn)[:3]:
        q.store_embedding(conn, t["id"], "spectral-wide", "v", rng.normal(size=1024))
    out = tmp_path / "out"
    export_dataset(built_library, out, audio_model="spectral-wide")
    before = read_dir(out)
    conn.execute("UPDATE tracks SET title = 'renamed'")  # the next export differs
    conn.commit()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, hard))  # Python ignores SIGXFSZ
    try:
        with pytest.raises(OSError) as failure:
            export_dataset(built_library, out, audio_model="spectral-wide")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert failure.value.filename == str(out / "features.npy")
    assert read_dir(out) == before  # every file as the earlier export wrote it, no temporary


@pytest.mark.parametrize("filename", [None, "tmpfile"])
def test_export_on_a_full_disk_names_its_folder(built_library, tmp_path, monkeypatch, capsys,
                                                filename):
    """A full disk at a buffered write (the flush at close carries no file name) said only
    "musicsage export: No space left on device"."""
    import errno

    import musicsage.library.dataset as dataset
    from musicsage import cli

    def full(path, data, **kw):
        raise OSError(errno.ENOSPC, "No space left on device",
                      *([str(path.parent / filename)] if filename else []))

    monkeypatch.setattr(dataset, "replace_atomically", full)
    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(built_library.data_dir), "export", str(out)]) == 1
    what = f"No space left on device: {out / filename}" if filename else "No space left on device"
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage export: the disk holding {out} is full ({what}): make room and export again"]


def test_an_export_killed_half_way_over_an_earlier_one_is_refused_not_misread(
        built_library, tmp_path):
    """An export replaced the files of an earlier export in the same folder one by one. One
    stopped after features.npy but before tracks.csv (here: made by hand; exports are staged
    now, tests/library/test_export_killed.py) left the new vectors beside the old track list:
    the same row count, rows that no longer belong together, read without a word by import
    and train. features.json now fingerprints the pair, and both readers refuse a folder that
    does not match it; a complete export, or a features.json without fingerprints, reads as
    before."""
    from musicsage.graph.data import GraphData

    conn = connect(built_library)
    out = tmp_path / "out"
    export_dataset(built_library, out)
    GraphData.from_dataset_dir(out)  # a complete export reads
    ids = [t["id"] for t in q.all_tracks(conn)[:3]]
    conn.execute("DELETE FROM audio_embeddings WHERE track_id = ?", (ids[0],))
    q.store_embedding(conn, 4, "spectral", "spectral-v1", np.ones(8))  # d in, a out: same count
    conn.commit()
    export_dataset(built_library, tmp_path / "newer")  # an export swaps in a set now
    for name in ("features.npy", "features.json"):  # the torn folder a kill left before
        (out / name).write_bytes((tmp_path / "newer" / name).read_bytes())
    assert len(np.load(out / "features.npy")) == 3  # the torn folder: new vectors, old tracks
    for read in (lambda: import_dataset(built_library, out),
                 lambda: GraphData.from_dataset_dir(out)):
        with pytest.raises(MusicsageError, match="interrupted.*export again"):
            read()
    export_dataset(built_library, out)  # exporting again mends it
    assert import_dataset(built_library, out).tracks == 3
    meta = json.loads((out / "features.json").read_text())
    (out / "features.json").write_text(json.dumps(
        {"model_id": meta["model_id"], "model_version": meta["model_version"]}))
    (out / "tracks.csv").write_text((out / "tracks.csv").read_text().replace("T b", "T B"))
    assert GraphData.from_dataset_dir(out).n_tracks == 3  # no fingerprints: not checked


def test_export_audio_model_choice(built_library, tmp_path):
    conn = connect(built_library)
    q.store_embedding(conn, 4, "musicnn-msd-max_pool", "v", [1.0, 2.0])
    assert export_dataset(built_library, tmp_path / "x", audio_model="musicnn").tracks == 1
    with pytest.raises(MusicsageError, match="no embeddings for audio model 'openl3'"):
        export_dataset(built_library, tmp_path / "y", audio_model="openl3")


def write_research_dataset(d: Path, n=5, d_feat=4):
    d.mkdir(parents=True)
    (d / "tracks.csv").write_text("track_id,title,artist\n" + "".join(
        f"spotify:{i},Song {i},Band {i % 2}\n" for i in range(n)), encoding="utf-8")
    (d / "memberships.csv").write_text("playlist_id,track_id\npl-A,spotify:0\npl-A,spotify:3\n"
                                       "pl-B,spotify:1\npl-B,spotify:0\npl-B,spotify:99\n")
    feats = np.arange(n * d_feat, dtype=np.float32).reshape(n, d_feat)
    np.save(d / "features.npy", feats)
    return feats


def test_import_research_dataset_is_idempotent_and_survives_scans(ctx, tmp_path):
    feats = write_research_dataset(tmp_path / "ds")
    rep = import_dataset(ctx, tmp_path / "ds")
    assert (rep.tracks, rep.playlists, rep.memberships, rep.unknown_memberships) == (5, 2, 5, 1)
    assert any(n.startswith("1 membership names a track id absent") for n in rep.notes), rep.notes
    assert rep.audio_model == "spectral-dataset"
    conn = connect(ctx)
    ids, m = q.get_embeddings(conn, "spectral-dataset")
    assert np.array_equal(m, feats)
    assert q.get_setting(conn, "audio_model") == "spectral-dataset"
    assert q.tracks_needing_embedding(conn, "spectral", "v1") == []  # no audio to embed
    before = [tuple(r) for r in conn.execute("SELECT id, path, title FROM tracks")]
    import_dataset(ctx, tmp_path / "ds")  # again: same rows, no duplicates
    assert [tuple(r) for r in conn.execute("SELECT id, path, title FROM tracks")] == before
    assert len(q.playlist_rows(conn)) == 2
    # a scan of an unrelated folder must not mark the imported tracks missing
    write_audio(tmp_path / "music" / "x.wav", seconds=0.2)
    scan_library(ctx, [tmp_path / "music"])
    stats = library_stats(ctx)
    assert stats.to_dict()["tracks"] == {"total": 6, "present": 6, "missing": 0,
                                         "needs_analysis": 1, "unreadable": 0,
                                         "no_audio_file": 5}
    assert stats.playlists.unresolved == 1
    pl = {p.name: p for p in list_playlists(ctx)}
    assert playlist_track_ids(ctx, pl["pl-B"].id) == [ids[1], ids[0]]


def test_playlists_csv_names_the_playlists_and_a_new_name_renames_on_reimport(ctx, tmp_path):
    """Without playlists.csv a playlist is named by its id; with it, by the name there
    (an id it does not name keeps its id); importing again after a rename renames."""
    d = tmp_path / "ds"
    write_research_dataset(d)
    import_dataset(ctx, d)
    assert sorted(p.name for p in list_playlists(ctx)) == ["pl-A", "pl-B"]
    (d / "playlists.csv").write_text("playlist_id,name\npl-A,Road trip ☀\n", encoding="utf-8")
    import_dataset(ctx, d)
    assert sorted(p.name for p in list_playlists(ctx)) == ["Road trip ☀", "pl-B"]
    assert len(list_playlists(ctx)) == 2  # renamed in place, not added


def test_two_rows_naming_one_file_are_one_track_and_the_report_says_so(ctx, tmp_path):
    """The report counted rows, not tracks: 3 'tracks' for 2 in the library."""
    d = tmp_path / "ds"
    feats = write_research_dataset(d, n=3)
    (d / "tracks.csv").write_text("track_id,path,title\na,song.flac,A\nb,song.flac,B\n"
                                  "c,other.flac,C\n", encoding="utf-8")
    rep = import_dataset(ctx, d)
    assert rep.tracks == 2 and library_stats(ctx).tracks.total == 2
    assert any("1 row of tracks.csv names a file that another row names" in n for n in rep.notes)
    ids, m = q.get_embeddings(connect(ctx), "spectral-dataset")
    assert len(ids) == 2 and any(np.array_equal(row, feats[1]) for row in m)


def test_features_of_another_width_than_the_librarys_are_refused(ctx, tmp_path):
    """A second dataset with 7 values per track beside one with 4, under one model id: both
    were imported, and every search, map and export failed after ('mixed dimensions'), with
    no command to mend it. Re-importing the same tracks at a new width stays possible."""
    first = write_research_dataset(tmp_path / "a", n=5, d_feat=4)
    import_dataset(ctx, tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "tracks.csv").write_text("track_id\nx1\nx2\n", encoding="utf-8")
    np.save(tmp_path / "b" / "features.npy", np.ones((2, 7), np.float32))
    with pytest.raises(MusicsageError, match=r"features.npy: 7 values per track, but the "
                                             r"library's 'spectral-dataset' vectors have 4"):
        import_dataset(ctx, tmp_path / "b")
    assert library_stats(ctx).tracks.total == 5  # nothing of the refused import kept
    ids, m = q.get_embeddings(connect(ctx), "spectral-dataset")
    assert np.array_equal(m, first)
    np.save(tmp_path / "a" / "features.npy", np.ones((5, 6), np.float32))
    import_dataset(ctx, tmp_path / "a")  # the same tracks, a new width: all replaced
    assert q.get_embeddings(connect(ctx), "spectral-dataset")[1].shape == (5, 6)


def test_rows_naming_no_file_are_missing_tracks_and_the_report_says_so(ctx, tmp_path):
    """A path to nothing (or to a folder) was listed as a present track, to fail later in
    ``embed``; the report said nothing."""
    d = tmp_path / "ds"
    write_research_dataset(d, n=3)
    write_audio(d / "real.wav", seconds=0.2)
    (d / "tracks.csv").write_text("track_id,path\na,real.wav\nb,gone.ogg\nc,.\n",
                                  encoding="utf-8")
    rep = import_dataset(ctx, d)
    assert rep.tracks == 3 and library_stats(ctx).tracks.present == 1
    assert library_stats(ctx).tracks.missing == 2
    assert any(n.startswith("2 rows of tracks.csv name no file (first: track_id 'b', path "
                            "'gone.ogg')") for n in rep.notes), rep.notes


@pytest.mark.parametrize("breakage, message", [
    (lambda d: (d / "tracks.csv").write_text("id,title\n1,x\n"), "missing column"),
    (lambda d: np.save(d / "features.npy", np.zeros((2, 3), np.float32)), "does not match"),
    (lambda d: (d / "tracks.csv").write_text("track_id\na\na\n"), "duplicate"),
    (lambda d: (d / "tracks.csv").unlink(), "no tracks.csv"),
    (lambda d: (d / "playlists.csv").write_text("playlist_id,name\npl-A,x\npl-A,y\n"),
     "playlists.csv: duplicate"),
    (lambda d: (d / "playlists.csv").write_text("id,name\npl-A,x\n"),
     "playlists.csv: missing column"),
    (lambda d: (d / "playlists.csv").write_bytes(b"playlist_id,name\npl-A,Caf\xe9\n"),
     r"playlists\.csv is not UTF-8 text \(byte 0xe9 on line 2\): save it as UTF-8"),
    (lambda d: (d / "tracks.csv").write_text("track_id\na\n\"\"\n"),
     r"tracks\.csv line 3: empty track_id"),
])
def test_bad_dataset_is_refused_and_changes_nothing(ctx, tmp_path, breakage, message):
    write_research_dataset(tmp_path / "ds")
    breakage(tmp_path / "ds")
    with pytest.raises(MusicsageError, match=message):
        import_dataset(ctx, tmp_path / "ds")
    assert library_stats(ctx).tracks.total == 0


def test_stats_shape_and_graph_model(built_library):
    s = library_stats(built_library).to_dict()  # the stats --json contract
    assert s["tracks"]["total"] == 4 and s["tracks"]["present"] == 4 and s["tracks"]["missing"] == 0
    assert s["playlists"]["total"] == 2 and s["playlists"]["entries"] == 6
    assert s["playlists"]["unresolved"] == 1
    assert s["errors"] == 0 and s["embeddings"] == {"spectral": 3}
    assert s["graph_model"] is None
    conn = connect(built_library)
    conn.execute("INSERT INTO graph_models(name, audio_model, metrics, is_current)"
                 " VALUES ('m', 'spectral', ?, 1)", (json.dumps({"graph": {"hr@10": 0.5}}),))
    g = library_stats(built_library).graph_model
    assert {k: g[k] for k in ("id", "audio_model", "metrics")} == {
        "id": 1, "audio_model": "spectral", "metrics": {"graph": {"hr@10": 0.5}}}


def test_cli_stats_import_export(built_library, tmp_path, capsys):
    from musicsage.cli import main

    dd = ["--data-dir", str(built_library.data_dir)]
    assert main(["stats", "--json", *dd]) == 0
    s = json.loads(capsys.readouterr().out)
    assert set(s) >= {"tracks", "playlists", "errors", "embeddings", "graph_model"}
    assert main(["stats", *dd]) == 0
    assert "tracks     4" in capsys.readouterr().out
    assert main(["export", str(tmp_path / "e"), *dd]) == 0
    assert "exported 3 tracks" in capsys.readouterr().out
    other = ["--data-dir", str(tmp_path / "other")]
    assert main(["import", str(tmp_path / "e"), "--json", *other]) == 0
    assert json.loads(capsys.readouterr().out)["tracks"] == 3
    assert main(["import", str(tmp_path / "nothing"), *other]) == 1
    assert "not a dataset dir" in capsys.readouterr().err


def test_list_and_search_tracks(built_library):
    tracks = list_tracks(built_library)
    assert [t.title for t in tracks] == ["T a", "T b", "T c", "T d"]
    assert tracks[0].fs_path.endswith("a.flac") and tracks[0].has_file
    assert search_tracks(built_library, "t B")[0].title == "T b"  # exact title first
    assert [t.title for t in search_tracks(built_library, "d.flac")] == ["T d"]
    assert search_tracks(built_library, "zzz") == []
    assert len(search_tracks(built_library, "art ist")) == 4
    assert search_tracks(built_library, "   ") == []
    # "Artist - Title", as `similar` accepts it (the window's search box said "no match")
    assert [t.title for t in search_tracks(built_library, "Art, Ist - T d")] == ["T d"]
    assert [t.title for t in search_tracks(built_library, "ist — t d")] == ["T d"]
    assert search_tracks(built_library, " - ") == []
    assert get_track(built_library, 2).title == "T b"
