"""Importing a dataset dir again after a playlist left its memberships.csv removes the
playlist the earlier import stored: the library kept it, with its old tracks, while the
import's note said that playlist "was not imported" — a re-import re-fills every playlist
the dir still holds, so the one it no longer holds goes. One that another imported dir
names too (this library's export, imported back) stays for that dir."""

from __future__ import annotations

import sqlite3

from musicsage import cli


def write_dir(d, memberships: str) -> None:
    """A dataset dir of three tracks without audio files, two named playlists and
    ``memberships`` (memberships.csv's rows)."""
    d.mkdir(exist_ok=True)
    (d / "tracks.csv").write_text("track_id,title\nt1,Daybreak\nt2,Nightbus\nt3,Meadow\n")
    (d / "playlists.csv").write_text("playlist_id,name\np1,Road trip\np2,Late\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + memberships)


def playlists(lib) -> dict[str, int]:
    """The library's playlists: name -> number of entries."""
    with sqlite3.connect(lib / "library.sqlite3") as conn:
        return dict(conn.execute("SELECT p.name, count(e.playlist_id) FROM playlists p LEFT"
                                 " JOIN playlist_entries e ON e.playlist_id = p.id"
                                 " GROUP BY p.id"))


def test_a_playlist_gone_from_the_dir_leaves_the_library_on_reimport(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np1,t2\np2,t2\np2,t3\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 2, "Late": 2}
    write_dir(d, "p1,t1\n")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 1}
    out, err = capsys.readouterr()
    assert out.startswith("updated 2 playlists from "), out
    assert ("note: 1 playlist an earlier import of this dir stored is no longer in its "
            "memberships.csv and was removed: 'Late'") in err
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0  # nothing more to drop
    assert "removed" not in capsys.readouterr().err
    assert playlists(lib) == {"Road trip": 1}


def test_a_playlist_another_imported_dir_names_stays(tmp_path, capsys):
    base, exp, lib = tmp_path / "base", tmp_path / "exp", tmp_path / "lib"
    write_dir(base, "p1,t1\np1,t2\np2,t2\np2,t3\n")
    assert cli.main(["--data-dir", str(lib), "import", str(base)]) == 0
    assert cli.main(["--data-dir", str(lib), "export", str(exp)]) == 0
    assert cli.main(["--data-dir", str(lib), "import", str(exp)]) == 0  # names base's two
    write_dir(base, "p1,t1\n")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(base)]) == 0
    assert "removed" not in capsys.readouterr().err
    assert playlists(lib) == {"Road trip": 1, "Late": 2}


def test_a_dir_without_memberships_removes_none(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    (d / "memberships.csv").unlink()  # moved away: not a dir that holds no playlists
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 1, "Late": 1}
