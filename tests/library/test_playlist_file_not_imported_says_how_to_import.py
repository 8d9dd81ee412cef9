"""``suggest ~/Music/Mix.m3u`` for a playlist file that is there but was never imported (a scan
imports only the playlist files ``--playlists`` names) said "no playlist matches
'~/Music/Mix.m3u' (by id, path or name)": nothing of the file being there, nor how to make it a
playlist of the library. It now says so in one line, with the command that imports it; a path
to nothing keeps the old line, and nothing is written."""

from __future__ import annotations

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.usecases.library import scan_library
from hints_told_support import as_default


@pytest.fixture
def library_and_loose_file(ctx, tmp_path):
    """A library with one imported playlist, and a playlist file beside it never imported."""
    ctx, music, lists, ids = playlist_library(ctx, tmp_path)
    (lists / "Imported.m3u8").write_text(f"#EXTM3U\n{music / 'A/One.wav'}\n", encoding="utf-8")
    scan_library(ctx, [], [str(lists)])
    loose = tmp_path / "elsewhere" / "Road trip.m3u"
    loose.parent.mkdir()
    loose.write_text(f"{music / 'A/One.wav'}\n", encoding="utf-8")
    return ctx, loose, ids


def _run(ctx, capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main([*args, "--data-dir", str(ctx.data_dir)])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("command", [["suggest"], ["playlists"]])
def test_a_file_not_imported_is_named_with_the_command_that_imports_it(
        library_and_loose_file, capsys, command):
    ctx, loose, _ids = library_and_loose_file
    rc, out, err = _run(ctx, capsys, *command, str(loose))
    assert rc == 1 and not out, (out, err)
    line = as_default(err, ctx.data_dir).strip()
    assert "\n" not in line and "Traceback" not in line, line
    # quoted, as "no playlist matches '…'" quotes it: "Road trip.m3u" reads as one name
    assert f"{str(loose)!r} is not a playlist of the library" in line, line
    assert f"musicsage scan --playlists '{loose}'" in line, line


def test_adding_to_a_file_not_imported_writes_nothing_and_says_why(library_and_loose_file,
                                                                   capsys):
    ctx, loose, ids = library_and_loose_file
    before = loose.read_bytes()
    rc, _out, err = _run(ctx, capsys, "suggest", str(loose), "--add", str(ids["A/Two.wav"]))
    assert rc == 1 and loose.read_bytes() == before
    assert "import it first" in err, err


def test_a_path_to_nothing_still_says_no_playlist_matches(library_and_loose_file, capsys,
                                                          tmp_path):
    ctx, _loose, _ids = library_and_loose_file
    rc, _out, err = _run(ctx, capsys, "suggest", str(tmp_path / "nowhere.m3u"))
    assert rc == 1 and "no playlist matches" in err, err


def test_a_file_imported_by_another_name_is_not_sent_to_be_imported(library_and_loose_file,
                                                                    capsys, tmp_path):
    """A hard link of another name to an imported playlist (which the path lookup does not
    find by name) is the library's playlist already: no "import it first" for it."""
    import os

    ctx, _loose, _ids = library_and_loose_file
    hard = tmp_path / "elsewhere" / "Hard name.m3u8"
    os.link(tmp_path / "lists" / "Imported.m3u8", hard)
    _rc, _out, err = _run(ctx, capsys, "playlists", str(hard))
    assert "import it first" not in err, err
