"""A playlist id is never handed out twice, whichever way playlists enter and leave the
library: a trained graph model keeps a vector per playlist id, which a new playlist given a
removed one's id would take over. Files gone already retired their ids; a player's dropped
lists and a dataset import's mended copies took theirs back (SQLite's largest id plus one)."""

from __future__ import annotations

from types import SimpleNamespace

from library_audio import write_audio
from player_files import write_rhythmbox

from musicsage.library import paths as P
from musicsage.library import queries as q
from musicsage.library.dataset_playlists import import_playlists as import_dataset_playlists
from musicsage.library.playlists import import_playlists
from musicsage.library.playlists.store import (import_playlist_file, new_playlist_id,
                                               retire_playlist_ids)
from musicsage.library.scan import resolve_roots, scan_roots


def _ids(conn) -> dict[str, int]:
    return {r["name"]: r["id"] for r in q.playlist_rows(conn)}


def test_a_list_the_player_dropped_leaves_its_id_unused(conn, tmp_path):
    song = tmp_path / "music" / "a.wav"  # need not exist: an unresolved entry
    source = write_rhythmbox(tmp_path / "playlists.xml", [("A", [song]), ("B", [song])])
    import_playlists(conn, [str(source)])
    before = _ids(conn)
    write_rhythmbox(source, [("A", [song])])
    import_playlists(conn, [str(source)])  # B dropped by the player: removed here too
    assert _ids(conn) == {"A": before["A"]}
    write_rhythmbox(source, [("A", [song]), ("C", [song])])
    import_playlists(conn, [str(source)])
    assert _ids(conn)["C"] > before["B"], "the new list took the removed one's id"
    (tmp_path / "Mix.m3u").write_text("music/a.wav\n")
    assert import_playlist_file(conn, str(tmp_path / "Mix.m3u")).playlist_id > _ids(conn)["C"]


def test_a_dataset_keeps_its_own_playlist_id_unless_it_was_retired(conn):
    assert new_playlist_id(conn, 7) == 7 and new_playlist_id(conn) == 1
    conn.execute("INSERT INTO playlists(id, path, name, format) VALUES (9, '/x.m3u', 'x', 'm3u')")
    assert new_playlist_id(conn, 9) == 10, "in use"
    retire_playlist_ids(conn)
    conn.execute("DELETE FROM playlists WHERE id = 9")
    assert (new_playlist_id(conn, 7), new_playlist_id(conn, 9), new_playlist_id(conn, 12)) == (
        10, 10, 12)


def test_a_dataset_copy_removed_on_reimport_leaves_its_id_unused(conn, tmp_path):
    write_audio(tmp_path / "music" / "x.wav", seconds=0.1)
    scan_roots(conn, resolve_roots([tmp_path / "music"]))
    track = q.track_by_path(conn, P.from_fs(str(tmp_path / "music" / "x.wav")))["id"]
    mix = tmp_path / "Mix.m3u"
    mix.write_text("music/gone.wav\n")  # none of its tracks yet: no playlist of the dir's
    first = import_playlist_file(conn, str(mix)).playlist_id
    read = SimpleNamespace(memberships=[{"playlist_id": "50", "track_id": "x"}],
                           names={"50": "Mix"}, has_memberships=True)
    import_dataset_playlists(conn, read, "dataset:/ds#", {"x": track})
    assert [r["id"] for r in q.playlist_rows(conn)] == [first, 50]  # the dir's own id: free
    mix.write_text("music/x.wav\n")  # now the dir's playlist is the library's own
    rep = import_playlist_file(conn, str(mix))  # its file read again: the dir's copy leaves
    assert (rep.playlist_id, rep.replaced_imported_from) == (first, ["/ds"])
    assert import_dataset_playlists(conn, read, "dataset:/ds#", {"x": track}).known == 1
    assert [r["id"] for r in q.playlist_rows(conn)] == [first]
    (tmp_path / "Other.m3u").write_text("music/x.wav\n")
    assert import_playlist_file(conn, str(tmp_path / "Other.m3u")).playlist_id > 50


def test_a_forgotten_dataset_leaves_its_playlist_ids_unused(conn, tmp_path):
    from musicsage.library.forget import forget_root

    write_audio(tmp_path / "music" / "x.wav", seconds=0.1)
    scan_roots(conn, resolve_roots([tmp_path / "music"]))
    track = q.track_by_path(conn, P.from_fs(str(tmp_path / "music" / "x.wav")))["id"]
    data = tmp_path / "ds"
    data.mkdir()
    read = SimpleNamespace(memberships=[{"playlist_id": "50", "track_id": "x"}],
                           names={"50": "Mix"}, has_memberships=True)
    import_dataset_playlists(conn, read, P.dataset_key_prefix(str(data)), {"x": track})
    assert [r["id"] for r in q.playlist_rows(conn)] == [50]
    assert forget_root(conn, str(data)).playlists == 1
    (tmp_path / "Other.m3u").write_text("music/x.wav\n")
    assert import_playlist_file(conn, str(tmp_path / "Other.m3u")).playlist_id > 50
