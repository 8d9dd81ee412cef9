"""A bare number that is track #22's own title and another song's ("22" by Lily Allen and by
Taylor Swift), a band with a slash in its name beside a folder of that name (AC/DC), and the
notes on a number read as a track id kept when what follows is refused."""

from __future__ import annotations

import pytest
from search_helpers import Library, add_playlist, add_track, clustered_vectors, run_cli

from musicsage.controllers.search_words import playlists_named
from musicsage.library.db import connect
from musicsage.search.query import resolve_query


def _track(conn, folder, title: str, artist: str) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{artist}-{title}.flac".replace("/", "_")
    path.write_bytes(b"")
    return add_track(conn, str(path), title=title, artist=artist)


def test_a_number_that_is_its_tracks_own_title_still_names_the_other_song(ctx, tmp_path):
    """Track #N "N" by Lily Allen and "N" by Taylor Swift: `similar N` took Lily Allen's and
    said nothing of how to name Taylor Swift's. Lily Allen's copy is no other song."""
    conn = connect(ctx)
    lily = _track(conn, tmp_path, "placeholder", "Lily Allen")
    number = str(lily)
    conn.execute("UPDATE tracks SET title = ? WHERE id = ?", (number, lily))
    copy = _track(conn, tmp_path / "copy", number, "Lily Allen")
    swift = _track(conn, tmp_path, number, "Taylor Swift")
    conn.commit()
    notes: list[str] = []
    assert resolve_query(conn, number, notes) == lily
    assert notes == [f"'{number}' was read as track id #{lily} (Lily Allen - {number}); to "
                     f"name the other track titled '{number}', give 'Taylor Swift - {number}'"]
    assert resolve_query(conn, f"Taylor Swift - {number}") == swift
    assert copy not in (lily, swift)


def test_a_copy_of_the_tracks_audio_is_no_other_song(ctx, tmp_path):
    """An untagged copy of track #N's file (same content hash) is the same song."""
    from musicsage.library.moves import current_hashes

    conn = connect(ctx)
    first = _track(conn, tmp_path, "placeholder", "Lily Allen")
    number = str(first)
    conn.execute("UPDATE tracks SET title = ? WHERE id = ?", (number, first))
    other = _track(conn, tmp_path, number, "Someone Else")
    for tid in (first, other):
        conn.execute("INSERT INTO track_hashes(track_id, hash, size, mtime_ns) "
                     "VALUES (?, 'same', 1, 1)", (tid,))
    conn.commit()
    assert len(current_hashes(conn, [first, other])) == 2
    notes: list[str] = []
    assert resolve_query(conn, number, notes) == first and notes == []


def test_a_band_with_a_slash_is_not_a_folder_of_that_name(ctx, tmp_path, monkeypatch):
    """`similar AC/DC` in a folder holding AC/DC/ said "AC/DC is a folder, not a track"; it
    named the band before. Written as a path (./AC/DC) it is the folder."""
    from musicsage.errors import MusicsageError

    conn = connect(ctx)
    band = _track(conn, tmp_path, "Thunderstruck", "AC/DC")
    conn.commit()
    (tmp_path / "AC" / "DC").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert resolve_query(conn, "AC/DC") == band
    assert resolve_query(conn, "ac/dc - thunderstruck") == band
    with pytest.raises(MusicsageError, match=r"^\./AC/DC is a folder, not a track"):
        resolve_query(conn, "./AC/DC")
    (tmp_path / "Live").mkdir()
    with pytest.raises(MusicsageError, match=r"^Live is a folder, not a track"):
        resolve_query(conn, "Live")  # no text matches: refused as the folder it is


class _RowsCounted:
    """A connection that counts the rows its title look-up hands to Python."""

    def __init__(self, conn) -> None:
        self.conn, self.rows = conn, 0

    def execute(self, sql: str, params=()):
        cursor = self.conn.execute(sql, params)
        if "GLOB" not in sql:
            return cursor
        rows = list(cursor)
        self.rows += len(rows)
        return iter(rows)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


def test_titles_far_longer_than_the_number_are_not_read_in_python(ctx, tmp_path):
    """Every non-ASCII title reached Python to be looked at (43 ms with 30,000 CJK titles)."""
    from musicsage.library.browse import titled_as_number

    conn = connect(ctx)
    for n in range(40):
        _track(conn, tmp_path, f"東京の夜と朝の歌 第{n}番", "歌手")
    wide = _track(conn, tmp_path, "２２", "Wide")
    conn.commit()
    counted = _RowsCounted(conn)
    assert [t.id for t in titled_as_number(counted, "22")] == [wide]
    assert counted.rows == 1


def test_the_playlists_offered_are_in_the_panels_order():
    """The search box offered "Focus 10" before "Focus 2"; the playlists panel the other way."""
    rows = [(1, "Focus 10", 3), (2, "Focus 2", 4), (3, "focus 1", 1)]
    assert [p[1] for p in playlists_named("focus", rows)] == ["focus 1", "Focus 2", "Focus 10"]


@pytest.fixture
def numbered(ctx, tmp_path):
    """A library with vectors where track #5 is also the title of Taylor Swift's "5"."""
    lib = Library(ctx, tmp_path / "music")
    lib.add(12)
    lib.embed(clustered_vectors(12, clusters=3))
    swift = add_track(lib.conn, str(tmp_path / "music" / "swift.wav"), title=str(lib.ids[4]),
                      artist="Taylor Swift")
    lib.conn.commit()
    return lib, swift


def _note(lib) -> str:
    number = lib.ids[4]
    return (f"note: '{number}' was read as track id #{number} (Artist 4 - Song 004); to "
            f"name the track titled '{number}', give 'Taylor Swift - {number}'")


@pytest.mark.parametrize("command", [["similar"], ["radio"]])
def test_the_note_comes_before_an_m3u_that_cannot_be_written(capsys, ctx, tmp_path, numbered,
                                                              command):
    """A refusal that comes after the query is read keeps the note on how it was read. The
    checks made before any work cannot judge a name too long for the file system (it has a
    folder, and no file is there to refuse): only the write refuses it."""
    lib, _ = numbered
    too_long = tmp_path / ("x" * 300 + ".m3u8")
    for json_out in ([], ["--json"]):
        rc, out, err = run_cli(capsys, ctx, *command, str(lib.ids[4]), "--m3u", str(too_long),
                               *json_out)
        assert (rc, out) == (1, "") and err.splitlines()[0] == _note(lib), err
        assert "cannot write playlist" in err.splitlines()[1], err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".", "x"))]  # no temp


def test_the_note_on_an_added_track_comes_before_a_later_one_that_fails(capsys, ctx, tmp_path,
                                                                       numbered):
    """`suggest P --add 5 zzz` said only that zzz matched nothing, not how 5 was read."""
    lib, _ = numbered
    playlist = tmp_path / "mix.m3u"
    playlist.write_text("#EXTM3U\n", encoding="utf-8")
    add_playlist(lib.conn, str(playlist), "mix", [])
    lib.conn.commit()
    for json_out in ([], ["--json"]):
        rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(lib.ids[4]),
                               "zzz", *json_out)
        assert (rc, out) == (1, "") and err.splitlines()[0] == _note(lib), err
        assert "no track matches 'zzz'" in err.splitlines()[1]
    assert playlist.read_text(encoding="utf-8") == "#EXTM3U\n"


def test_the_note_with_json_comes_before_the_playlists_refusal(capsys, ctx, tmp_path,
                                                              numbered):
    """With --json the notes ride in the JSON: a playlist that refused the tracks lost them."""
    lib, _ = numbered
    add_playlist(lib.conn, str(tmp_path / "gone" / "mix.m3u"), "mix", [])
    lib.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", str(lib.ids[4]), "--json")
    assert (rc, out) == (1, "") and err.splitlines()[0] == _note(lib), err
    assert len(err.splitlines()) == 2, err
