"""Finding a track by typing: names with letters a keyboard lacks or a typographic
apostrophe (MusicBrainz tags), a number that is both a track id and other tracks' title,
and a search of nothing but spaces."""

from __future__ import annotations

import pytest
from search_helpers import add_track

from musicsage.controllers.library import search_note
from musicsage.controllers.search_words import playlists_named
from musicsage.library.browse import list_tracks
from musicsage.library.db import connect
from musicsage.search.query import resolve_query as resolve_in
from musicsage.usecases.library import search_tracks
from musicsage.usecases.search import resolve_query


@pytest.fixture
def named(ctx, tmp_path):
    """Tracks of a real library whose names a plain keyboard cannot type as tagged."""
    conn = connect(ctx)
    ids = {}
    for key, title, artist in [("kygo", "It Ain’t Me (with Selena Gomez)", "Kygo"),
                               ("mo", "Final Song", "MØ"),
                               ("lodz", "Łódź Nights", "Pablo"),
                               ("queen", "Don't Stop Me Now", "Queen"),
                               ("aeon", "Æon", "Sigur"),
                               ("other", "Something", "Someone"),
                               ("killers", "Mr. Brightside", "The Killers"),
                               ("rem", "Losing My Religion", "R.E.M.")]:
        path = tmp_path / f"track{len(ids)}.flac"  # (a file name of its own: not the key)
        path.write_bytes(b"")
        ids[key] = add_track(conn, str(path), title=title, artist=artist)
    conn.commit()
    return ids


@pytest.mark.parametrize("typed, key", [("it ain't me", "kygo"), ("IT AINT ME", "kygo"),
                                        ("mo final", "mo"), ("lodz", "lodz"),
                                        ("dont stop", "queen"), ("aeon", "aeon"),
                                        ("don’t stop", "queen")])
def test_the_search_box_finds_names_as_a_plain_keyboard_types_them(ctx, named, typed, key):
    """"it ain't me" found nothing in a library tagged "It Ain’t Me", nor "mo" MØ: the
    search box (the window's snapshot) and the command line's search alike."""
    assert [t.id for t in search_tracks(ctx, typed)] == [named[key]]
    snapshot = list_tracks(connect(ctx))
    assert [t.id for t in search_tracks(ctx, typed, tracks=snapshot)] == [named[key]]


def test_a_query_names_those_tracks_alike(ctx, named):
    assert resolve_query(ctx, "mo - final song") == named["mo"]
    assert resolve_query(ctx, "Kygo - It Ain't Me (with Selena Gomez)") == named["kygo"]
    assert resolve_query(ctx, "lodz nights") == named["lodz"]


def test_the_playlists_offered_answer_the_same_words():
    assert playlists_named("mo", [(1, "MØ and friends", 3)]) == [(1, "MØ and friends", 3)]
    assert playlists_named("dont", [(2, "Don’t Stop", 1)]) == [(2, "Don’t Stop", 1)]


def test_a_number_taken_as_an_id_says_which_tracks_it_is_also_the_title_of(ctx, named,
                                                                              tmp_path):
    """`similar 22` gave track #22 and said nothing of Taylor Swift's "22"."""
    conn = connect(ctx)
    number = str(named["mo"])
    for artist in ("Taylor Swift", "Another"):
        path = tmp_path / f"{artist}.flac"
        path.write_bytes(b"")
        add_track(conn, str(path), title=number, artist=artist)
    conn.commit()
    notes: list[str] = []
    assert resolve_in(conn, number, notes) == named["mo"]
    assert notes == [f"'{number}' was read as track id #{number} (MØ - Final Song); to name "
                     f"one of the 2 tracks titled '{number}', give 'artist - title', such as "
                     f"'Another - {number}'"]
    spelt: list[str] = []
    assert resolve_in(conn, f"#{number}", spelt) == named["mo"] and spelt == []
    assert resolve_in(conn, f"Taylor Swift - {number}", spelt) != named["mo"]


def test_spaces_alone_are_no_search_that_failed():
    """A space typed first read "no title, artist, … matches ‘’"."""
    assert search_note("   ", 0, 100) == ""
    assert search_note('"', 0, 100) == ""
    assert search_note("+", 0, 100).startswith("no title")


def test_a_track_imported_without_a_file_is_not_found_by_letters_of_its_dataset_key(ctx):
    """The key's tail, ``<dir>#<dataset id>``, was searched as a file name: "ds" (the
    dataset dir's name) found every track of a Spotify import, "mo" thousands by letters of
    their random ids. An untitled one is still found by the name its rows show."""
    conn = connect(ctx)
    song = add_track(conn, "dataset:/data/ds#x7moQ22k", title="Heatwave", artist="Karen")
    untitled = add_track(conn, "dataset:/data/ds#Zq9", title=None, artist=None)
    conn.commit()
    for typed in ("ds", "mo", "22", "x7moq"):
        assert song not in [t.id for t in search_tracks(ctx, typed)], typed
    assert [t.id for t in search_tracks(ctx, "heatwave")] == [song]
    assert [t.id for t in search_tracks(ctx, "ds#zq9")] == [untitled]


@pytest.mark.parametrize("folder", [".", "..", "./", "./sub", "./sub/", "../sub"])
def test_the_folder_one_is_in_is_called_a_folder_not_every_file_of_it(ctx, named, tmp_path,
                                                                       monkeypatch, folder):
    """`similar .` matched every file name by its extension's dot: "'.' matches 6 tracks";
    then every title or artist with a dot: "'.' matches 2 tracks" ("Mr. Brightside",
    "R.E.M."). A folder written as a path is a folder, whatever names hold a dot — or the
    path as typed ("./sub", "../sub" in a title): the text tiers that match are not tried."""
    from musicsage.errors import MusicsageError

    conn = connect(ctx)
    add_track(conn, str(tmp_path / "dub.flac"), title="Dub ./sub/ and ../sub", artist="Slash")
    conn.commit()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub" if folder.startswith("..") or folder in (".", "./")
                      else tmp_path)
    query = folder
    said = (r"is a folder, not a track: give one of its " if folder == ".."  # holds tracks
            else r"is a folder, not a track, and holds no track of the library: scan it first")
    with pytest.raises(MusicsageError, match=said):  # "sub" is empty: no track of it
        resolve_query(ctx, query)
    assert resolve_query(ctx, "track1.flac") == named["mo"]
    assert resolve_query(ctx, "mr. brightside") == named["killers"]
    assert resolve_query(ctx, "r.e.m.") == named["rem"]
    if folder == ".":  # the exact title is still tried first: a track titled "." is named
        conn = connect(ctx)
        dot = add_track(conn, str(tmp_path / "dot.flac"), title=".", artist="Dotted")
        conn.commit()
        assert resolve_query(ctx, ".") == dot


def test_a_file_named_in_punctuation_alone_is_named_by_it(ctx, named, tmp_path):
    """`similar '!!!'` named the band !!!'s untagged "!!!.flac" until punctuation alone was
    refused as a file name (to keep "." from naming every file)."""
    conn = connect(ctx)
    band = add_track(conn, str(tmp_path / "!!!.flac"), title=None, artist=None)
    conn.commit()
    assert resolve_query(ctx, "!!!") == band
    assert resolve_query(ctx, "!!!.flac") == band


def _titled(conn, tmp_path, title: str, *artists: str) -> list[int]:
    """Tracks titled ``title``, one per artist given (a file of its own each)."""
    ids = []
    for n, artist in enumerate(artists):
        path = tmp_path / f"{artist}-{n}-{len(title)}.flac"
        path.write_bytes(b"")
        ids.append(add_track(conn, str(path), title=title, artist=artist))
    conn.commit()
    return ids


def test_no_note_when_the_others_so_titled_are_its_copies(ctx, named, tmp_path):
    """Track #2 titled "2" whose only other track so titled is its copy (same artist and
    title) said "to name the track titled '2', give 'Taylor Swift - 2'", which then failed
    as ambiguous: a copy is no other song, so there is nothing to tell apart."""
    conn = connect(ctx)
    song, copy = _titled(conn, tmp_path, "placeholder", "Taylor Swift", "Taylor Swift")
    conn.execute("UPDATE tracks SET title = ? WHERE id IN (?, ?)", (str(song), song, copy))
    conn.commit()
    notes: list[str] = []
    assert resolve_in(conn, str(song), notes) == song and notes == []


def test_two_untagged_tracks_of_one_title_are_two_songs(ctx, named, tmp_path):
    """Track #N titled "N" by no tagged artist took another untagged "N" for its copy (both
    artists read as ""): no note at all, and beside a Taylor Swift "N" the note spoke of
    "the other track" where two were to tell apart. By nobody is nobody's copy, as in the
    neighbour lists."""
    conn = connect(ctx)
    song, twin = _titled(conn, tmp_path, "placeholder", "", "")
    conn.execute("UPDATE tracks SET title = ?, artist = NULL WHERE id IN (?, ?)",
                 (str(song), song, twin))
    conn.commit()
    number = str(song)
    notes: list[str] = []
    assert resolve_in(conn, number, notes) == song
    assert notes == [f"'{number}' was read as track id #{number} (? - {number}); to name "
                     f"the other track titled '{number}', give '#{twin}'"]
    _titled(conn, tmp_path, number, "Taylor Swift")
    notes.clear()
    assert resolve_in(conn, number, notes) == song
    assert notes[0].endswith(f"to name one of the 2 other tracks titled '{number}', give "
                             f"'artist - title', such as 'Taylor Swift - {number}'")


def test_the_note_suggests_only_a_name_that_names_one_track(ctx, named, tmp_path):
    """Two "Taylor Swift - N" (not one file copied) make that name ambiguous: the note
    gives one that names a track, else a track id."""
    conn = connect(ctx)
    number = str(named["mo"])
    swift = _titled(conn, tmp_path, number, "Taylor Swift", "Taylor Swift")
    notes: list[str] = []
    assert resolve_in(conn, number, notes) == named["mo"]
    assert notes == [f"'{number}' was read as track id #{number} (MØ - Final Song); to name "
                     f"one of the 2 tracks titled '{number}', give its track id, such as "
                     f"'#{swift[0]}'"]
    zed, = _titled(conn, tmp_path, f" {number} ", "Zed")  # (spaces: the same title)
    notes.clear()
    resolve_in(conn, number, notes)
    assert notes[0].endswith(f"one of the 3 tracks titled '{number}', give 'artist - title', "
                             f"such as 'Zed - {number}'")
    assert resolve_in(conn, f"Zed - {number}") == zed


def test_a_number_is_looked_up_without_reading_every_track(ctx, named, tmp_path,
                                                           monkeypatch):
    """The note read and folded every track: 350-400 ms a bare number on 28,000 tracks
    (`suggest --add 1 2 3` paid it per number). Titles equal to it come from SQLite."""
    from musicsage.library import queries

    conn = connect(ctx)
    number = str(named["mo"])
    wide = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    other, = _titled(conn, tmp_path, wide, "Another")

    def every_track(_conn):
        raise AssertionError("every track read for a number")

    monkeypatch.setattr(queries, "all_tracks", every_track)
    notes: list[str] = []
    assert resolve_in(conn, number, notes) == named["mo"]
    assert notes == [f"'{number}' was read as track id #{number} (MØ - Final Song); to name "
                     f"the track titled '{number}', give 'Another - {wide}'"]
