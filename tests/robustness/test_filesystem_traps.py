"""What a music folder can hold besides music (README: symlink loops, unreadable files and
folders) and a library the user may only read (issue 16 item 9): the scan finishes, says what
it skipped, and loses nothing; a read-only library still answers ``stats`` and ``similar``.

The tests run as root, whom file modes do not stop: the permission cases run the CLI with
CAP_DAC_OVERRIDE dropped (``robust_support.without_dac_override``), so modes apply as for any
user — or skip, saying why, where that cannot be done.
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from robust_support import (assert_clean_success, assert_one_line_failure, cli, db_snapshot,
                            json_errors, lines, scanned_library, tone_file, tree_snapshot,
                            without_dac_override, write_audio)


def test_symlink_loops_fifos_and_folders_named_like_audio(tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a" / "song.wav")
    os.symlink("..", music / "a" / "up")          # directory loop
    os.symlink(music / "a", music / "alias")      # same folder twice
    os.symlink("self.mp3", music / "self.mp3")    # link to itself
    os.symlink("nowhere.flac", music / "dangling.flac")
    os.symlink(music / "a" / "song.wav", music / "link-to-song.wav")  # same file twice
    os.mkfifo(music / "pipe.mp3")
    write_audio(music / "folder.mp3" / "inner.ogg")
    before = tree_snapshot(music)
    data = tmp_path / "data"

    proc = cli("scan", str(music), "--json", data_dir=data, timeout=60)
    assert_clean_success(proc)
    rep = json.loads(proc.stdout)
    assert rep["added"] == 2 and rep["files"] == 5  # the errors' 3 audio names among them
    errors = json_errors(proc.stdout)
    assert set(errors) == {"self.mp3", "dangling.flac", "pipe.mp3"}
    assert "link" in errors["self.mp3"] and "regular" in errors["pipe.mp3"]
    tracks = db_snapshot(data / "library.sqlite3")["tracks"]
    assert sorted(os.path.basename(r[1]) for r in tracks) == ["inner.ogg", "song.wav"]
    assert tree_snapshot(music) == before


def test_a_file_reached_by_a_link_and_by_its_own_path_stays_present(tmp_path):
    """A linked file scanned first through its link (folder a/), then its own folder b/ was
    added: the next full scan, which reads the file once, marked the link's track missing
    though it plays — depending on the order the folders were added in."""
    music = tmp_path / "music"
    write_audio(music / "b" / "song.wav")
    write_audio(music / "a" / "other.wav")
    os.symlink(os.path.join("..", "b", "song.wav"), music / "a" / "link.wav")
    data = tmp_path / "data"
    for folder in ("a", "b"):
        assert_clean_success(cli("scan", str(music / folder), data_dir=data, timeout=60))
    proc = cli("scan", "--json", data_dir=data, timeout=60)
    assert_clean_success(proc)
    assert json.loads(proc.stdout)["missing"] == 0
    tracks = db_snapshot(data / "library.sqlite3")["tracks"]
    status = {os.path.basename(r[1]): r for r in tracks}
    assert len(status) == 3 and all("missing" not in r for r in tracks), tracks
    os.remove(music / "a" / "link.wav")  # the link gone: its track is missing now
    proc = cli("scan", "--json", data_dir=data, timeout=60)
    assert json.loads(proc.stdout)["missing"] == 1


@contextmanager
def modes(*changes):
    """Set (path, mode) pairs for the block; put the old modes back after (for cleanup)."""
    old = [(p, stat.S_IMODE(os.lstat(p).st_mode)) for p, _ in changes]
    try:
        for p, mode in changes:
            os.chmod(p, mode)
        yield
    finally:
        for p, mode in reversed(old):
            os.chmod(p, mode)


def test_unreadable_files_and_folders_are_listed_and_nothing_is_marked_missing(tmp_path):
    prefix = without_dac_override()
    music = tmp_path / "music"
    tone_file(music / "ok.wav", seconds=0.5)
    inside = tone_file(music / "private" / "a.wav", seconds=0.5, freq=550)
    data = tmp_path / "data"
    assert_clean_success(cli("scan", str(music), data_dir=data))
    locked = tone_file(music / "locked.wav", seconds=0.5, freq=660)  # new, and unreadable
    before = tree_snapshot(music)

    with modes((locked, 0o000), (music / "private", 0o000)):
        proc = cli("scan", str(music), "--json", data_dir=data, prefix=prefix)
    assert_clean_success(proc)
    assert json_errors(proc.stdout) == {"locked.wav": "cannot read file: Permission denied",
                      "private": "cannot list folder: Permission denied"}
    tracks = {os.path.basename(r[1]): r for r in db_snapshot(data / "library.sqlite3")["tracks"]}
    assert set(tracks) == {"ok.wav", "a.wav"}
    assert "present" in tracks["a.wav"]  # unknown is not missing: the folder may come back
    assert tree_snapshot(music) == before and inside.is_file()


def test_a_read_only_library_answers_stats_and_similar_and_refuses_writes_in_one_line(tmp_path):
    prefix = without_dac_override()
    # three songs: of two, z-scored audio vectors have no list (their cosine is always -1)
    music, data, files = scanned_library(tmp_path, {"one.wav": 440, "two.wav": 700,
                                                    "low.wav": 110})
    song = files["one.wav"]
    db = data / "library.sqlite3"
    before = db_snapshot(db)
    stamp = db.read_bytes()
    tone_file(music / "three.wav", seconds=1.0, freq=900)  # something a scan would add

    read_only = [(p, 0o555 if p.is_dir() else 0o444) for p in [data, *data.rglob("*")]]
    with modes(*read_only):
        stats = cli("stats", "--json", data_dir=data, prefix=prefix)
        similar = cli("similar", str(song), "--space", "audio", "--json", data_dir=data,
                      prefix=prefix)
        scan = cli("scan", str(music), data_dir=data, prefix=prefix)
        # every track has its spectral vectors: nothing to do, and it says so (it refused on
        # writing down the model in use, a setting that already held it)
        embed = cli("embed", "--model", "spectral", data_dir=data, prefix=prefix)
        # another analysis budget is another version of every vector: work that must write
        embed_again = cli("embed", "--model", "spectral", "--max-seconds", "5", data_dir=data,
                          prefix=prefix)
        # its map is kept in the user's cache: on a large library UMAP took minutes at each start
        maps = [cli("map", "--space", "audio", "--json", data_dir=data, prefix=prefix)
                for _ in range(2)]
    assert_clean_success(stats)
    assert_clean_success(embed)
    assert "nothing to embed: every track with an audio file has a spectral vector" in (
        embed.stdout)
    counts = json.loads(stats.stdout)
    assert counts["tracks"]["total"] == 3 and counts["embeddings"] == {
        k: 3 for k in counts["embeddings"]}
    assert_clean_success(similar)
    assert sorted(r["title"] for r in json.loads(similar.stdout)["audio"]) == ["low", "two"]
    for proc in maps:
        assert_clean_success(proc)
    first, second = (json.loads(proc.stdout)["audio"] for proc in maps)
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["points"] == first["points"]
    kept = list((Path(os.environ["XDG_CACHE_HOME"]) / "musicsage" / "read-only-libraries")
                .rglob("*.npz"))
    assert len(kept) == 1, kept
    for proc, command in ((scan, "scan"), (embed_again, "embed")):
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        said = [line for line in lines(proc.stderr) if line.startswith(f"musicsage {command}: ")]
        assert len(said) == 1 and ("read-only" in said[0] or "not writable" in said[0]), said
    assert db.read_bytes() == stamp and db_snapshot(db) == before


@pytest.mark.parametrize("read_only", ["folder", "database"])
def test_embed_refuses_a_read_only_library_whose_graph_model_has_tracks_to_place(tmp_path,
                                                                                read_only):
    """Every audio vector there, but one track the graph model never saw (its file changed
    after training) and no graph vector for it: ``embed`` printed a traceback from its graph
    step and exited 0 — and with only the database read-only it wrote the model's
    inductive.npz beside a database that could not record it. Now: one line naming the
    library and what to do, exit 1, nothing written."""
    import sqlite3

    from new_music_support import build_trained

    prefix = without_dac_override()
    ctx, _ = build_trained(tmp_path / "lib")
    data, db = ctx.data_dir, ctx.db_path
    conn = sqlite3.connect(db)  # the file of the first track changed since training
    with conn:
        conn.execute("UPDATE audio_embeddings SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ',"
                     " 'now', '+1 second') WHERE track_id = (SELECT MIN(id) FROM tracks)")
    conn.close()
    before, models, stamp = db_snapshot(db), tree_snapshot(ctx.graph_models_dir), db.read_bytes()
    paths = [data, *data.rglob("*")] if read_only == "folder" else [db]
    with modes(*[(p, 0o555 if p.is_dir() else 0o444) for p in paths]):
        proc = cli("embed", "--model", "spectral", data_dir=data, prefix=prefix)
    line = assert_one_line_failure(proc, "embed", str(db if read_only == "database" else data),
                                   "make it writable", "embed again")
    assert "1 track the graph model has not seen" in line
    assert db.read_bytes() == stamp and db_snapshot(db) == before
    assert tree_snapshot(ctx.graph_models_dir) == models  # no inductive.npz


def test_adding_to_a_read_only_playlist_is_refused_and_the_file_kept(tmp_path):
    """``suggest PLAYLIST --add`` writes by renaming a new file over the old one, which only
    the folder's permissions govern: a playlist its owner made read-only (mode 0444, in a
    writable folder) was replaced anyway. Now it is refused in one line, with no backup."""
    prefix = without_dac_override()
    music, data, files = scanned_library(tmp_path, {"one.wav": 440, "two.wav": 660},
                                         embed=False)
    playlist = tmp_path / "lists" / "mix.m3u8"
    playlist.parent.mkdir()
    playlist.write_text("#EXTM3U\n../music/one.wav\n", encoding="utf-8")
    assert_clean_success(cli("scan", "--playlists", str(playlist), data_dir=data))
    before = playlist.read_bytes()
    with modes((playlist, 0o444)):
        proc = cli("suggest", "mix", "--add", str(files["two.wav"]), data_dir=data,
                   prefix=prefix)
        assert playlist.read_bytes() == before
        assert stat.S_IMODE(playlist.stat().st_mode) == 0o444
    line = [x for x in lines(proc.stderr) if x.startswith("musicsage suggest: ")]
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(line) == 1 and "read-only" in line[0] and "not touched" in line[0]
    assert not (data / "playlist-backups").exists()
    # writable again, the same command adds the track
    assert_clean_success(cli("suggest", "mix", "--add", str(files["two.wav"]), data_dir=data))
    assert "two.wav" in playlist.read_text(encoding="utf-8")


def test_a_music_path_that_is_no_music_is_refused_and_not_remembered(tmp_path):
    """``scan playlist.m3u`` (forgetting ``--playlists``), ``scan /dev/null`` or ``scan
    "$UNSET"``: the first two said "scanned 0 audio files … 0 errors" with exit 0 and kept the
    path as a music folder for every later ``scan``; the empty one scanned the current folder."""
    music, data, files = scanned_library(tmp_path, {"one.wav": 440}, embed=False)
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text("#EXTM3U\nmusic/one.wav\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("liner notes\n")
    elsewhere = tmp_path / "cwd"
    tone_file(elsewhere / "not-mine.wav")
    before = db_snapshot(data / "library.sqlite3")
    cases = {str(playlist): "--playlists", str(tmp_path / "notes.txt"): "neither a folder",
             os.devnull: "neither a folder", "": "empty path"}
    for path, fragment in cases.items():
        proc = cli("scan", path, data_dir=data, cwd=elsewhere)
        found = [x for x in lines(proc.stderr) if x.startswith("musicsage scan: ")]
        assert proc.returncode == 1 and len(found) == 1 and fragment in found[0], proc.stderr
    assert db_snapshot(data / "library.sqlite3") == before
    rescan = cli("scan", "--json", data_dir=data)  # the remembered roots: the music folder only
    assert_clean_success(rescan)
    assert json.loads(rescan.stdout)["roots"] == [str(music)]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux's /proc")
def test_scanning_a_system_folder_is_one_line_and_starts_no_library(tmp_path):
    """``scan /proc/self`` walked the whole file system (through /proc/self/root) and stored
    4,866 tracks under /proc/self/root/…; it is now refused before any library is made."""
    data = tmp_path / "data"
    for given in ("/proc/self", "/dev"):
        proc = cli("scan", given, data_dir=data)
        found = [x for x in lines(proc.stderr) if x.startswith("musicsage scan: ")]
        assert proc.returncode == 1 and found == [
            f"musicsage scan: {given} is a system folder, not music: nothing was scanned"
        ], proc.stderr
    assert not data.exists()
