"""Adds the file could not take, each refused before a byte is written, in one line naming
the cause:

- an add that pushed the playlist past the 50 MB a playlist may hold was written, then its
  re-import failed ("too large for a playlist"), and the user's file could no longer be read
  nor edited here;
- new bytes that do not parse blamed the user's file ("the file would no longer read as a
  playlist"), where the added entries were the cause;
- a playlist whose file was deleted since the scan said "cannot read playlist …: No such file
  or directory" (what to do: re-scan).
"""

from __future__ import annotations

import pytest
from playlist_support import playlist_library

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library.playlists import edit
from musicsage.usecases.library import playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist


@pytest.fixture
def lib(ctx, tmp_path):
    return playlist_library(ctx, tmp_path)


def _playlist(ctx, lists, name: str, data: bytes) -> tuple[int, object]:
    path = lists / name
    path.write_bytes(data)
    return scan_library(ctx, [], [str(path)]).playlists[0].playlist_id, path


def _untouched(ctx, path, before: bytes, pid: int, members: list[int]) -> None:
    assert path.read_bytes() == before
    assert playlist_track_ids(ctx, pid) == members
    backups = ctx.data_dir / edit.BACKUP_DIR
    assert not backups.exists() or not any(backups.iterdir())


def test_an_add_past_the_playlist_size_limit_is_refused_untouched(lib, monkeypatch):
    """The limit made 1 MB here (the app's 50 MB file takes a minute to scan, char by char):
    the scan, the add and the re-import all read it from the same place."""
    from musicsage.library.playlists import store

    monkeypatch.setattr(store, "MAX_PLAYLIST_BYTES", 2**20)
    ctx, music, lists, ids = lib
    head = f"#EXTM3U\n{music / 'A/One.wav'}\n".encode()
    filler = b"#" + b"x" * (store.MAX_PLAYLIST_BYTES - len(head) - 40) + b"\n"  # a comment
    pid, path = _playlist(ctx, lists, "huge.m3u", head + filler)
    before = path.read_bytes()
    assert playlist_track_ids(ctx, pid) == [ids["A/One.wav"]], "read: under the limit"

    with pytest.raises(MusicsageError) as refused:
        add_to_playlist(ctx, pid, [ids["B/Three.wav"]])

    assert str(refused.value) == ("cannot add to playlist 'huge': it would grow past 1 MB, "
                                  "the most a playlist may hold; add it to another playlist"
                                  " — the file was not touched")
    _untouched(ctx, path, before, pid, [ids["A/One.wav"]])


def test_entries_that_would_not_read_back_are_named_as_the_cause(lib, monkeypatch):
    ctx, music, lists, ids = lib
    pid, path = _playlist(ctx, lists, "mix.xspf", (
        '<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" '
        'xmlns="http://xspf.org/ns/0/">\n  <trackList>\n    <track><location>'
        f'{(music / "A/One.wav").as_uri()}</location></track>\n  </trackList>\n'
        '</playlist>\n').encode())
    before = path.read_bytes()
    real = edit.append_tracks
    monkeypatch.setattr(edit, "append_tracks",  # a writer's slip: one stray "<" in the XML
                        lambda data, fs_path, tracks: real(data, fs_path, tracks) + b"<")

    with pytest.raises(MusicsageError) as refused:
        add_to_playlist(ctx, pid, [ids["B/Three.wav"], ids["C/Five.wav"]])

    line = str(refused.value)
    assert line.startswith("cannot add 'Three', 'Five' to playlist 'mix': the entries written "
                           "for them would not read back (not a valid XSPF file ("), line
    assert line.endswith("; the file was not touched") and "\n" not in line
    assert "no longer read as a playlist" not in line
    _untouched(ctx, path, before, pid, [ids["A/One.wav"]])


def test_adding_to_a_playlist_whose_file_is_gone_says_to_rescan(lib, capsys):
    ctx, music, lists, ids = lib
    pid, path = _playlist(ctx, lists, "gone.m3u", f"{music / 'A/One.wav'}\n".encode())
    path.unlink()

    rc = cli.main(["suggest", "gone", "--add", str(ids["A/Two.wav"]),
                   "--data-dir", str(ctx.data_dir)])

    out, err = capsys.readouterr()
    assert rc == 1 and out == "", (rc, out, err)
    assert err.strip() == (f"musicsage suggest: playlist 'gone': its file {path} is gone; "
                           "re-scan the library, then add again"), err
    assert not path.exists(), "nothing made in its place"
