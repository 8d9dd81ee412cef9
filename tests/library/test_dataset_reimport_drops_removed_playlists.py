"""Importing a dataset dir again after a playlist left its memberships.csv removes the
playlist the earlier import stored: the library kept it, with its old tracks, while the
import's note said that playlist "was not imported" — a re-import re-fills every playlist
the dir still holds, so the one it no longer holds goes. One that another imported dir
names too (this library's export, imported back) stays, passed to that dir, with a note. A
memberships.csv that holds no playlist (an empty library's export written over the dir)
removes none — they may be the last copy — and says how to; a dir without a memberships.csv
leaves them as they were, still the dir's, and says so by their names. The removed ones are
counted apart (``removed_playlists``), not as updated, also when all else is new, and each
playlist is named in one note only."""

from __future__ import annotations

import json
import sqlite3

from musicsage import cli
from musicsage.context import library_option


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
    assert out.startswith("updated 1 playlist"), out  # Road trip re-filled; Late removed
    assert ("note: 1 playlist an earlier import of this dir stored is no longer in its "
            "memberships.csv and was removed: 'Late'") in err
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0  # nothing more to drop
    assert "removed" not in capsys.readouterr().err
    assert playlists(lib) == {"Road trip": 1}


def test_a_playlist_another_imported_dir_names_stays_for_that_dir_with_a_note(tmp_path,
                                                                            capsys):
    base, exp, lib = tmp_path / "base", tmp_path / "exp", tmp_path / "lib"
    write_dir(base, "p1,t1\np1,t2\np2,t2\np2,t3\n")
    assert cli.main(["--data-dir", str(lib), "import", str(base)]) == 0
    assert cli.main(["--data-dir", str(lib), "export", str(exp)]) == 0
    assert cli.main(["--data-dir", str(lib), "import", str(exp)]) == 0  # names base's two
    write_dir(base, "p1,t1\n")  # playlists.csv still names p2, 'Late'
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(base)]) == 0
    notes = [line.strip() for line in capsys.readouterr().err.splitlines()]
    assert notes == ["note: 1 playlist this dir no longer holds stays (another imported dir "
                     "names it too): 'Late'"]  # not "has no members and was not imported"
    assert playlists(lib) == {"Road trip": 1, "Late": 2}
    with sqlite3.connect(lib / "library.sqlite3") as conn:  # now exp's, as forget passes it
        path = conn.execute("SELECT path FROM playlists WHERE name = 'Late'").fetchone()[0]
    assert path.startswith(f"dataset:{exp.resolve()}#"), path
    assert cli.main(["--data-dir", str(lib), "forget", str(exp)]) == 0  # base holds it no more
    assert playlists(lib) == {"Road trip": 1}


def test_a_dir_without_memberships_removes_none(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    (d / "memberships.csv").unlink()  # moved away: not a dir that holds no playlists
    capsys.readouterr()
    for _ in range(2):  # said of both by name, not "have no members and were not imported"
        assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
        assert playlists(lib) == {"Road trip": 1, "Late": 1}
        notes = [line.strip() for line in capsys.readouterr().err.splitlines()]
        assert notes == ["note: 2 playlists an earlier import of this dir stored stay as they "
                         "were (the dir has no memberships.csv now): 'Road trip', 'Late'"]
    write_dir(d, "p1,t1\n")  # back, without p2: still the dir's, so it goes
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 1}


def test_only_removed_playlists_are_counted_as_removed_not_updated(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\np3,t3\n")
    (d / "playlists.csv").write_text("playlist_id,name\np1,Road trip\np2,Late\np3,Dawn\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    (d / "memberships.csv").write_text("playlist_id,track_id\np1,t1\n")  # p1 as it was
    (d / "playlists.csv").write_text("playlist_id,name\np1,Road trip\n")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", "--json", str(d)]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert (rep["updated_playlists"], rep["removed_playlists"]) == (0, 2)
    assert rep["notes"] == ["2 playlists an earlier import of this dir stored are no longer in "
                            "its memberships.csv and were removed: 'Late', 'Dawn'"]
    assert playlists(lib) == {"Road trip": 1}


def test_a_playlist_still_named_but_without_members_gets_one_note_by_its_name(tmp_path,
                                                                             capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    write_dir(d, "p1,t1\n")  # playlists.csv still names p2, 'Late'
    (d / "playlists.csv").write_text("playlist_id,name\np1,Road trip\np2,Late\nghost,Never\n")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    err = capsys.readouterr().err
    notes = [line.strip() for line in err.splitlines() if "playlist" in line]
    assert notes == [
        "note: 1 playlist has no members and was not imported: 'ghost'",
        "note: 1 playlist an earlier import of this dir stored is no longer in its "
        "memberships.csv and was removed: 'Late'"]
    assert playlists(lib) == {"Road trip": 1}


def test_a_memberships_csv_of_its_header_alone_keeps_them_with_a_note(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    write_dir(d, "")  # what an export of a library without playlists writes
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", "--json", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 1, "Late": 1}  # maybe the last copy
    rep = json.loads(capsys.readouterr().out)
    assert rep["removed_playlists"] == 0 and rep["updated_playlists"] == 0
    src = d.resolve()
    assert rep["notes"] == [f"memberships.csv holds no playlist now; the 2 playlists an earlier "
                            f"import of {src} stored stay: `musicsage {library_option(lib)}"
                            f"forget {src}` then `musicsage {library_option(lib)}import {src}` "
                            "removes them"]
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0  # still the dir's: said
    assert "the 2 playlists an earlier import" in capsys.readouterr().err
    write_dir(d, "p1,t3\n")  # a playlist again: the others left out go
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert playlists(lib) == {"Road trip": 1}


def test_an_empty_librarys_export_over_an_imported_one_keeps_its_playlists(tmp_path, capsys):
    src, other, empty, exp = (tmp_path / name for name in ("L", "M", "empty", "E"))
    write_dir(tmp_path / "ds", "p1,t1\np1,t2\np2,t3\n")
    assert cli.main(["--data-dir", str(src), "import", str(tmp_path / "ds")]) == 0
    assert cli.main(["--data-dir", str(src), "export", str(exp)]) == 0
    assert cli.main(["--data-dir", str(other), "import", str(exp)]) == 0
    assert playlists(other) == {"Road trip": 2, "Late": 1}
    (tmp_path / "no music").mkdir()
    assert cli.main(["--data-dir", str(empty), "scan", str(tmp_path / "no music")]) == 0
    assert cli.main(["--data-dir", str(empty), "export", str(exp)]) == 0
    assert (exp / "memberships.csv").read_text().strip() == "playlist_id,track_id"
    capsys.readouterr()
    assert cli.main(["--data-dir", str(other), "import", str(exp)]) == 0
    assert playlists(other) == {"Road trip": 2, "Late": 1}
    assert f"`musicsage {library_option(other)}forget" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(other), "forget", str(exp)]) == 0
    assert cli.main(["--data-dir", str(other), "import", str(exp)]) == 0
    assert playlists(other) == {}  # the way the note gives


def test_import_playlists_reads_whether_the_dir_has_a_memberships_csv_from_what_it_read(conn,
                                                                                        tmp_path):
    from musicsage.library import paths as P
    from musicsage.library.dataset import import_dataset
    from musicsage.library.dataset_playlists import import_playlists
    from musicsage.library.dataset_read import read_dataset

    d = tmp_path / "ds"
    write_dir(d, "p1,t1\np2,t2\n")
    import_dataset(conn, d)
    (d / "memberships.csv").unlink()
    read = read_dataset(d)
    track_of = {r["track_id"]: r["id"] for r in conn.execute(
        "SELECT substr(path, ?) AS track_id, id FROM tracks", (len(P.dataset_key_prefix(
            str(d.resolve()))) + 1,))}
    import_playlists(conn, read, P.dataset_key_prefix(str(d.resolve())), track_of)
    assert conn.execute("SELECT count(*) FROM playlists").fetchone()[0] == 2


def test_an_import_of_only_new_tracks_and_playlists_says_what_it_removed(tmp_path, capsys):
    d, lib = tmp_path / "ds", tmp_path / "lib"
    write_dir(d, "p1,t1\np2,t2\n")
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    (d / "tracks.csv").write_text("track_id,title\nt4,Dusk\n")  # every track and playlist new
    (d / "playlists.csv").write_text("playlist_id,name\np3,Dawn\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\np3,t4\n")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(lib), "import", str(d)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"imported 1 track, 1 playlist, 1 membership from {d.resolve()} (removed 2 playlists "
        "the dir no longer holds)")
    assert set(playlists(lib)) == {"Dawn"}
