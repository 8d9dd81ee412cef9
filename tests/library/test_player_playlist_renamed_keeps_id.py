"""A playlist renamed in Rhythmbox — which keeps no id, only names — stays the same playlist
(same id), as README says of a player's renamed lists. It became a new playlist (a trained
model's vector for it lost), and renaming the first of two lists of one name gave its id to
the second's tracks."""

from __future__ import annotations

from player_files import write_rhythmbox, write_strawberry

from musicsage.library import queries as q
from musicsage.library.playlists import import_playlists


def _lists(conn) -> dict[int, tuple[str, list[str]]]:
    """id -> (name, raw entries in order)."""
    return {r["id"]: (r["name"], [e[0] for e in conn.execute(
        "SELECT raw FROM playlist_entries WHERE playlist_id = ? ORDER BY position", (r["id"],))])
        for r in q.playlist_rows(conn)}


def test_a_renamed_rhythmbox_list_keeps_its_id_and_its_twin_keeps_its_own(conn, tmp_path):
    a, b, c = (tmp_path / "music" / f"{n}.wav" for n in "abc")  # unresolved entries will do
    source = write_rhythmbox(tmp_path / "playlists.xml",
                             [("Road trip", [a, b]), ("Road trip", [c]), ("Solo", [a])])
    import_playlists(conn, [str(source)])
    before = {name_entries[1][0]: pid for pid, name_entries in _lists(conn).items()
              if name_entries[0] == "Road trip"}  # first entry -> id
    solo = next(pid for pid, (name, _e) in _lists(conn).items() if name == "Solo")

    write_rhythmbox(source, [("Road movie", [a, b]), ("Road trip", [c]), ("Solo", [a])])
    reports = import_playlists(conn, [str(source)])

    after = _lists(conn)
    assert after[before[a.as_uri()]][0] == "Road movie", "renamed: the same playlist"
    assert after[before[c.as_uri()]] == ("Road trip", [c.as_uri()]), "its twin kept its id"
    assert len(after) == 3
    assert not [r for r in reports if r.error and "no longer has it" in r.error]

    write_rhythmbox(source, [("Road trip", [c]), ("Solo", [a, c])])  # deleted; Solo edited
    import_playlists(conn, [str(source)])
    final = _lists(conn)
    assert final[before[c.as_uri()]] == ("Road trip", [c.as_uri()])
    assert before[a.as_uri()] not in final and final[solo] == ("Solo", [a.as_uri(), c.as_uri()])
    assert len(final) == 2


def _ids(conn) -> dict[str, int]:
    return {r["name"]: r["id"] for r in q.playlist_rows(conn)}


def test_a_copy_of_an_edited_rhythmbox_list_does_not_take_its_id(conn, tmp_path):
    """The name wins over the entries: "Mix" edited, and "Mix copy" made with Mix's old
    tracks, is still Mix; the copy is a new playlist."""
    a, b, c = (tmp_path / "music" / f"{n}.wav" for n in "abc")
    source = write_rhythmbox(tmp_path / "playlists.xml", [("Mix", [a, b])])
    import_playlists(conn, [str(source)])
    mix = _ids(conn)["Mix"]

    write_rhythmbox(source, [("Mix", [a, b, c]), ("Mix copy", [a, b])])
    import_playlists(conn, [str(source)])

    after = _ids(conn)
    assert after["Mix"] == mix and after["Mix copy"] != mix
    assert _lists(conn)[mix] == ("Mix", [a.as_uri(), b.as_uri(), c.as_uri()])


def test_two_rhythmbox_lists_of_one_name_edited_keep_their_ids_beside_a_copy(conn, tmp_path):
    """Two "Road trip" both edited, and a copy of the first's old tracks under a new name: each
    keeps its own id, in order, and the copy is new."""
    a, b, c, d = (tmp_path / "music" / f"{n}.wav" for n in "abcd")
    source = write_rhythmbox(tmp_path / "playlists.xml",
                             [("Road trip", [a, b]), ("Road trip", [c])])
    import_playlists(conn, [str(source)])
    first, second = sorted(_lists(conn))

    write_rhythmbox(source, [("Road trip", [a, b, d]), ("Road trip", [c, d]),
                             ("Road copy", [a, b])])
    import_playlists(conn, [str(source)])

    after = _lists(conn)
    assert after[first] == ("Road trip", [a.as_uri(), b.as_uri(), d.as_uri()])
    assert after[second] == ("Road trip", [c.as_uri(), d.as_uri()])
    assert len(after) == 3


def test_a_strawberry_list_edited_after_another_was_deleted_keeps_its_own_id(conn, tmp_path):
    """Strawberry (and iTunes, Clementine) keep ids of their own: a list is its id, whatever
    its entries. "A" changed to B's tracks after B was deleted is still A, not B (whose
    trained vector and saved state would then be A's)."""
    a, b = (tmp_path / "music" / f"{n}.wav" for n in "ab")
    source = write_strawberry(tmp_path / "strawberry.db", [("A", [a]), ("B", [b])])
    import_playlists(conn, [str(source)])
    before = _ids(conn)

    source.unlink()
    write_strawberry(source, [("A", [b])])  # row id 1 again: the same playlist
    reports = import_playlists(conn, [str(source)])

    assert _ids(conn) == {"A": before["A"]}
    assert [r.name for r in reports if r.error and "no longer has it" in r.error] == ["B"]
