"""What the command line says when there is nothing there: a library with no tracks and a
music folder with no audio file.

- ``embed`` and ``map`` worded the empty library two ways ("(scan a music folder first)"
  beside "(scan a music folder first, e.g. musicsage scan ~/Music)"): one phrase now, each
  after its own "nothing to …:" head;
- ``scan EMPTY_FOLDER`` said "scanned 0 audio files … 0 new" with no hint that the files
  there are not read as music (the window said "no music files found"): a note says so and
  which extensions are read.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from musicsage.cli import main
from hints_told_support import as_default
from musicsage.errors import MusicsageError
from music_support import make_music

PHRASE = "the library has no tracks; scan a music folder first, e.g. `musicsage scan ~/Music`"


def run(capsys, data_dir, *argv: str) -> tuple[int, str, str]:
    """The command's status and output, as said of the default library (the commands it
    tells carry this one's --data-dir: tests/test_hints_told_commands_name_their_library.py)."""
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, as_default(out, data_dir), as_default(err, data_dir)


@pytest.fixture
def emptied(capsys, tmp_path, data_dir):
    """A library whose only music folder was forgotten: every track left it."""
    music, _, _ = make_music(tmp_path, n_tracks=1, seconds=0.5)
    assert run(capsys, data_dir, "scan", str(music))[0] == 0
    assert run(capsys, data_dir, "forget", str(music))[0] == 0
    return data_dir


def test_embed_and_map_of_an_empty_library_say_the_same_words(capsys, emptied, data_dir):
    assert run(capsys, data_dir, "embed") == (0, f"nothing to embed: {PHRASE}\n", "")
    code, out, err = run(capsys, data_dir, "map")
    assert (code, out, err) == (1, "", f"musicsage map: nothing to map: {PHRASE}\n")


def test_an_empty_embed_is_told_without_reading_every_track_id(capsys, emptied, data_dir,
                                                               monkeypatch):
    """Whether the library has a track is one indexed step, as ``map`` tells it."""
    from musicsage.library import queries

    def every_id(_conn):
        raise AssertionError("every track id read to tell an empty library")

    monkeypatch.setattr(queries, "library_track_ids", every_id)
    assert run(capsys, data_dir, "embed") == (0, f"nothing to embed: {PHRASE}\n", "")


def _reads(err: str) -> str:
    """The extensions named by the note on ``err``."""
    return err.rpartition("(musicsage reads ")[2].rstrip(")\n")


def test_a_folder_with_no_audio_file_is_said_to_hold_no_music(capsys, tmp_path, data_dir):
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "notes.txt").write_text("not music\n", encoding="utf-8")
    code, out, err = run(capsys, data_dir, "scan", str(folder))
    assert code == 0 and out.startswith("scanned 0 audio files in ")
    note = err.rpartition("\r")[2]  # after the progress bar's
    assert note.startswith(f"note: no music files found in {folder} (musicsage reads .mp3, "
                           ".flac, ")
    assert note.count("\n") == 1 and {".wav", ".m4a", ".ogg", ".opus"} <= set(
        _reads(note).split(", "))


def test_only_a_scan_that_found_nothing_at_all_says_so(capsys, tmp_path, data_dir):
    """The line is of the scan as a whole: not when a folder of music was given beside the
    empty one, nor on a plain re-scan (no folder given), nor where another note says why:
    tracks gone missing (a drive not mounted?), ``.ape`` files skipped."""
    music, _, _ = make_music(tmp_path, n_tracks=1, seconds=0.5)
    empty, ape = tmp_path / "empty", tmp_path / "ape"
    empty.mkdir()
    ape.mkdir()
    (ape / "a.ape").write_bytes(b"MAC " + bytes(60))
    assert "no music files found in" in run(capsys, data_dir, "scan", str(empty))[2]
    code, _, err = run(capsys, data_dir, "scan", str(music), str(empty))
    assert code == 0 and "no music files found" not in err
    shutil.move(music / "Rock Band", tmp_path / "elsewhere")  # a drive's bare mount point
    for again in ((), (str(music),)):  # tracks now missing, then still missing
        code, out, err = run(capsys, data_dir, "scan", *again)
        assert "a drive not mounted?" in out and "no music files found" not in err
    code, out, err = run(capsys, data_dir, "scan", str(ape))
    assert code == 0 and ".ape" in out and "no music files found" not in out + err


def test_a_newer_library_is_refused_naming_its_file(tmp_path):
    from musicsage.library import db
    from musicsage.library.schema import SCHEMA_VERSION

    path = tmp_path / "old data" / "library.sqlite3"
    path.parent.mkdir()
    db.open_connection(path).close()
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (?, 'future')",
                     (SCHEMA_VERSION + 1,))
    with pytest.raises(MusicsageError) as refused:
        db.open_connection(path)
    assert str(refused.value) == (
        f"the library database {path} has schema version {SCHEMA_VERSION + 1}, newer than "
        f"this musicsage understands ({SCHEMA_VERSION}); upgrade musicsage")
