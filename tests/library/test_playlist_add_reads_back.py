""""Add to playlist" writes entries that read back as the tracks added — by musicsage and by
the players that open the file — in the file's own encoding, keeps the file's owner, and
never leaves the file changed when an add did not work."""

from __future__ import annotations

import contextlib
import os

import pytest
from library_audio import write_audio

from musicsage.library import lock
from musicsage.library.playlists import edit, format_for
from musicsage.library.playlists.edit import BACKUP_DIR, NotAdded
from musicsage.usecases.library import list_tracks, playlist_track_ids, scan_library
from musicsage.usecases.suggest import add_to_playlist

NAMES = ["plain.wav", "#1 Hit.wav", " Intro.wav", "Ünï/ß.wav", "a b.wav"]


@pytest.fixture
def lib(ctx, tmp_path):
    """``(ctx, music folder, {name: track id})``: odd names a player's files do have."""
    music = tmp_path / "music"
    for i, name in enumerate(NAMES):  # each its own tone: no track is a copy of another
        write_audio(music / name, seconds=0.2, freq=220.0 + 55 * i)
    scan_library(ctx, [str(music)])
    ids = {t.path.split("/music/", 1)[1]: t.id for t in list_tracks(ctx)}
    return ctx, music, ids


def _imported(ctx, path) -> int:
    report = scan_library(ctx, [], [str(path)]).playlists[0]
    assert report.error is None
    return report.playlist_id


@pytest.mark.parametrize("filename", ["mix.m3u", "mix.pls"])
def test_names_a_line_would_lose_read_back_as_the_tracks(lib, filename):
    """``#1 Hit.wav`` written as is was an M3U comment (and " Intro.wav" lost its space)
    while the add said "added"; each now reads back, also after a later scan."""
    ctx, music, ids = lib
    path = music / filename
    path.write_bytes(b"#EXTM3U\nplain.wav\n" if filename.endswith(".m3u")
                     else b"[playlist]\nFile1=plain.wav\nNumberOfEntries=1\n")
    pid = _imported(ctx, path)
    chosen = [ids["#1 Hit.wav"], ids[" Intro.wav"]]

    report = add_to_playlist(ctx, pid, chosen)

    assert report.added == chosen
    assert playlist_track_ids(ctx, pid) == [ids["plain.wav"], *chosen]
    assert playlist_track_ids(ctx, _imported(ctx, path)) == [ids["plain.wav"], *chosen]
    entries = [e.raw for e in format_for(str(path)).parse(path.read_bytes(), filename).entries]
    assert entries[1:] == ["./#1 Hit.wav", "./ Intro.wav"], "relative, as the file's are"


def test_an_add_that_does_not_read_back_puts_the_file_back(lib, monkeypatch):
    """Whatever the writer wrote, an add whose track is not in the re-imported playlist
    fails in one line, and the file, the library and the backups are as before."""
    ctx, music, ids = lib
    path = music / "mix.m3u"
    old = b"#EXTM3U\nplain.wav\n"
    path.write_bytes(old)
    pid = _imported(ctx, path)
    monkeypatch.setattr(edit, "append_tracks", lambda data, _p, _t: data + b"#1 Hit.wav\n")

    with pytest.raises(NotAdded, match=r"^cannot add .*#1 Hit\.wav to playlist 'mix': .*"
                                       r"put back as it was$"):
        add_to_playlist(ctx, pid, [ids["#1 Hit.wav"]])

    assert path.read_bytes() == old
    assert playlist_track_ids(ctx, pid) == [ids["plain.wav"]]
    assert not list((ctx.data_dir / BACKUP_DIR).iterdir())
    monkeypatch.undo()
    assert add_to_playlist(ctx, pid, [ids["#1 Hit.wav"]]).added == [ids["#1 Hit.wav"]], \
        "the library still knows the file as it is: the next add works"


def test_a_cp1252_m3u8_gets_cp1252(lib):
    """Winamp writes ``.m3u8`` in cp1252, and it is read so; UTF-8 added to it was mojibake
    to every reader of the file."""
    ctx, music, ids = lib
    path = music / "win.m3u8"
    path.write_bytes(b"#EXTM3U\r\n#EXTINF:1,Caf\xe9\r\nplain.wav\r\n")
    pid = _imported(ctx, path)

    add_to_playlist(ctx, pid, [ids["Ünï/ß.wav"]])

    new = path.read_bytes()
    assert new.endswith("Ünï/ß.wav\r\n".encode("cp1252"))
    assert "Ã".encode("cp1252") not in new
    assert playlist_track_ids(ctx, _imported(ctx, path)) == [ids["plain.wav"], ids["Ünï/ß.wav"]]


def test_a_second_add_waiting_for_the_lock_sees_the_first(lib, monkeypatch):
    """Two adds at once: the one that waited for the lock read the playlist's row before
    the other add re-imported it, and was refused "changed on disk since it was imported"."""
    ctx, music, ids = lib
    path = music / "mix.m3u"
    path.write_bytes(b"#EXTM3U\nplain.wav\n")
    pid = _imported(ctx, path)
    real, others = lock.scan_lock, [ids["a b.wav"]]

    @contextlib.contextmanager
    def after_another_add(*args, **kwargs):
        if others:  # the other add holds the lock first, and is done when ours gets it
            add_to_playlist(ctx, pid, [others.pop()])
        with real(*args, **kwargs):
            yield

    monkeypatch.setattr(lock, "scan_lock", after_another_add)
    report = add_to_playlist(ctx, pid, [ids["#1 Hit.wav"]])

    assert report.added == [ids["#1 Hit.wav"]]
    assert playlist_track_ids(ctx, pid) == [ids["plain.wav"], ids["a b.wav"], ids["#1 Hit.wav"]]


def test_a_relative_entry_through_a_symlinked_folder_is_written_absolute(lib, tmp_path):
    """``../music/x`` from a symlinked playlists folder leads the OS (and every player) out
    of the link's target, not out of the link: the entry must name the file either way."""
    ctx, music, ids = lib
    (tmp_path / "elsewhere" / "pl").mkdir(parents=True)
    (tmp_path / "Playlists").symlink_to(tmp_path / "elsewhere" / "pl")
    path = tmp_path / "Playlists" / "mix.m3u"
    path.write_bytes(b"#EXTM3U\nsub/none.wav\n")  # relative: the style to follow
    pid = _imported(ctx, path)

    add_to_playlist(ctx, pid, [ids["a b.wav"]])

    written = path.read_text().splitlines()[-1]
    assert os.path.isfile(os.path.join(tmp_path / "elsewhere" / "pl", written)), written
    assert playlist_track_ids(ctx, pid) == [ids["a b.wav"]]


def test_xspf_tracks_go_into_the_real_track_list_not_a_comment(lib):
    ctx, music, ids = lib
    path = music / "x.xspf"
    comment = "<!-- previous version: <trackList></trackList> -->"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<playlist version="1" xmlns="http://xspf.org/ns/0/">\n  <trackList>\n'
                    '    <track><location>plain.wav</location></track>\n  </trackList>\n'
                    f"  {comment}\n</playlist>\n")
    pid = _imported(ctx, path)

    add_to_playlist(ctx, pid, [ids["a b.wav"]])

    assert playlist_track_ids(ctx, pid) == [ids["plain.wav"], ids["a b.wav"]]
    assert f"  {comment}\n</playlist>\n" in path.read_text()


def test_the_playlist_keeps_its_mode_owner_and_group(lib, monkeypatch):
    ctx, music, ids = lib
    path = music / "mix.m3u"
    path.write_bytes(b"#EXTM3U\nplain.wav\n")
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # nobody's, as a shared folder's playlist may be
    pid = _imported(ctx, path)
    before = os.stat(path)

    add_to_playlist(ctx, pid, [ids["a b.wav"]])

    after = os.stat(path)
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid,
                                                           before.st_gid)
    assert after.st_ino != before.st_ino, "replaced by a rename when the owner can be kept"


@pytest.mark.skipif(os.geteuid() != 0, reason="another user's file needs root to make")
def test_another_users_file_we_may_not_give_away_is_written_in_place(lib, monkeypatch):
    """Not root, the new file cannot be given the old one's owner: a rename would make the
    user's playlist ours. It is written in its own inode instead."""
    ctx, music, ids = lib
    path = music / "mix.m3u"
    path.write_bytes(b"#EXTM3U\nplain.wav\n")
    os.chmod(path, 0o666)
    os.chown(path, 65534, 65534)
    pid = _imported(ctx, path)
    before = os.stat(path)

    def not_permitted(*_args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", not_permitted)
    add_to_playlist(ctx, pid, [ids["a b.wav"]])

    after = os.stat(path)
    assert (after.st_ino, after.st_uid, after.st_gid) == (before.st_ino, 65534, 65534)
    assert playlist_track_ids(ctx, pid) == [ids["plain.wav"], ids["a b.wav"]]


def test_a_file_uri_with_a_raw_hash_resolves(lib):
    """Players write ``file:///music/#1 Hit.wav`` unescaped: the ``#`` is the name's."""
    ctx, music, ids = lib
    path = music / "uri.m3u"
    path.write_text(f"file://{music}/#1 Hit.wav\nfile://{music}/%231%20Hit.wav\n")

    assert playlist_track_ids(ctx, _imported(ctx, path)) == [ids["#1 Hit.wav"]] * 2


def test_a_name_ending_in_a_space_is_written_as_a_uri():
    """Every reader strips a line's ends: ``x.wav `` as text names ``x.wav``. (A scan takes no
    such file by its extension; one found by its bytes would have it.)"""
    from musicsage.library.playlists.append import LocationStyle, location_of

    for style in (LocationStyle("relative"), LocationStyle("absolute")):
        assert location_of("/m/x.wav\u00a0", "/m/mix.m3u", style, lambda _t: True) \
            == "file:///m/x.wav%C2%A0"


def test_a_check_failing_otherwise_after_the_write_keeps_the_backup(tmp_path):
    """The file is changed once written: if the read-back check itself fails (not a track
    missing, which puts the file back), the backup of what it was must stay — it was
    deleted with the rest of a refused change's."""
    from musicsage.errors import MusicsageError

    path = tmp_path / "mix.m3u"
    path.write_bytes(b"#EXTM3U\na.wav\n")

    def fails() -> None:
        raise MusicsageError("the library could not be read back")

    with pytest.raises(MusicsageError, match="could not be read back"):
        edit.rewrite_file(str(path), lambda data: data + b"b.wav\n", backup_root=tmp_path / "b",
                          imported=None, expected_sha256=None, name="mix", verify=fails)
    assert path.read_bytes() == b"#EXTM3U\na.wav\nb.wav\n"
    kept = list((tmp_path / "b").rglob("*.m3u"))
    assert [p.read_bytes() for p in kept] == [b"#EXTM3U\na.wav\n"]
