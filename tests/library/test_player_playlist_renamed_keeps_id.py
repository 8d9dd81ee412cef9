"""A playlist renamed in Rhythmbox — which keeps no id, only names — stays the same playlist
(same id), as README says of a player's renamed lists. It became a new playlist (a trained
model's vector for it lost), and renaming the first of two lists of one name gave its id to
the second's tracks."""

from __future__ import annotations

from player_files import write_rhythmbox

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
