"""``similar``/``suggest``/``radio --m3u FILE`` refuse, before any work, every FILE their
write would refuse: a folder, a playlist of the user's that musicsage did not write (named
directly or through a symbolic link), a playlist the library imported. The list (a model's
work) was built first and refused only then; here the QUERY is not even looked up."""

from __future__ import annotations

import pytest

from search_helpers import add_playlist

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.library import paths as P

THEIRS = b"#EXTM3U\r\n# my road trip\r\n/music/a.flac\r\n"
COMMANDS = [["similar", "anything"], ["suggest", "any list"], ["radio", "anything"]]


def _destination(kind: str, library, tmp_path):
    """The FILE given to ``--m3u``, and the line that refuses it."""
    dest = tmp_path / "lists" / "mine.m3u8"
    dest.parent.mkdir()
    if kind == "a folder":
        dest.mkdir()
        return dest, f"cannot write playlist {dest}: it is a folder"
    dest.write_bytes(THEIRS)
    if kind == "the library's playlist":
        add_playlist(library.conn, P.from_fs(str(dest)), "road trip", [])
        library.conn.commit()
        return dest, (f"{dest} is the library's playlist 'road trip': not overwritten (give a "
                      "new file name; Add to playlist or `suggest --add` adds tracks to it, "
                      "after a backup)")
    theirs = ("exists and is not a playlist musicsage wrote: choose another name (nothing "
              "was written)")
    if kind == "a link to theirs":
        link = tmp_path / "link.m3u8"
        link.symlink_to(dest)
        return link, f"{dest} {theirs}"
    return dest, f"{dest} {theirs}"


@pytest.mark.parametrize("kind", ["a folder", "theirs", "a link to theirs",
                                  "the library's playlist"])
@pytest.mark.parametrize("command", COMMANDS)
def test_an_m3u_the_write_would_refuse_is_refused_first(command, kind, library, ctx, tmp_path,
                                                        capsys):
    given, line = _destination(kind, library, tmp_path)
    rc = cli.main([*command, "--m3u", str(given), "--data-dir", str(ctx.data_dir)])
    captured = capsys.readouterr()
    assert (rc, captured.out) == (1, "")
    assert captured.err.strip().splitlines() == [f"musicsage {command[0]}: {line}"]
    if kind != "a folder":
        assert (tmp_path / "lists" / "mine.m3u8").read_bytes() == THEIRS


@pytest.mark.parametrize("command", COMMANDS)
def test_the_librarys_playlist_on_a_drive_not_mounted_is_named_as_such(command, library, ctx,
                                                                        tmp_path, capsys):
    """Checked before any work, a library playlist whose folder is gone (its drive not
    mounted) was "a folder that does not exist"; the write said "the library's playlist".
    Both now say the latter: one check, in one order."""
    from musicsage.usecases.search import write_m3u

    dest = tmp_path / "unmounted" / "mine.m3u8"
    add_playlist(library.conn, P.from_fs(str(dest)), "road trip", [])
    library.conn.commit()
    line = (f"{dest} is the library's playlist 'road trip': not overwritten (give a new file "
            "name; Add to playlist or `suggest --add` adds tracks to it, after a backup)")
    rc = cli.main([*command, "--m3u", str(dest), "--data-dir", str(ctx.data_dir)])
    captured = capsys.readouterr()
    assert (rc, captured.out) == (1, "")
    assert captured.err.strip().splitlines() == [f"musicsage {command[0]}: {line}"]
    with pytest.raises(MusicsageError) as refused:
        write_m3u(dest, [{"path": "/music/a.flac", "title": "A"}], ctx=ctx)
    assert str(refused.value) == line
    assert not dest.parent.exists()
