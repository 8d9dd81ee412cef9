"""QUERY resolution: track id, path, title/artist text, ambiguity, no match."""

from __future__ import annotations

import pytest
from search_helpers import add_track

from musicsage.errors import MusicsageError
from musicsage.search.query import AmbiguousQuery
from musicsage.usecases.search import resolve_query


@pytest.fixture
def tracks(library, tmp_path):
    conn, root = library.conn, tmp_path / "music"
    root.mkdir()
    ids = {}
    for key, path, title, artist in [
        ("help", "Beatles/Help.flac", "Help!", "The Beatles"),
        ("help2", "Beatles/Help (live).flac", "Help! (Live)", "The Beatles"),
        ("yesterday_b", "Beatles/Yesterday.flac", "Yesterday", "The Beatles"),
        ("yesterday_c", "Covers/Yesterday.mp3", "Yesterday", "Cover Band"),
        ("prince", "Prince/1999.flac", "1999", "Prince"),
        ("acdc", "AC DC/Thunderstruck.mp3", "Thunderstruck", "AC/DC"),
        ("umlaut", "Motorhead/Ace.flac", "Ace of Spades", "Motörhead"),
        ("untagged", "loose/track01.wav", None, None),
    ]:
        full = root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(b"")
        ids[key] = add_track(conn, str(full), title=title, artist=artist)
    ids["root"] = root
    return ids


def resolve(ctx, q):
    return resolve_query(ctx, q)


def test_track_id_forms(ctx, tracks):
    for q in (str(tracks["acdc"]), f"#{tracks['acdc']}", f"id:{tracks['acdc']}", tracks["acdc"]):
        assert resolve(ctx, q) == tracks["acdc"]


def test_a_number_that_is_no_id_is_read_as_a_title(ctx, tracks):
    assert resolve(ctx, "1999") == tracks["prince"]  # no track has id 1999


def test_an_unknown_integer_id_is_a_clear_error(ctx, tracks):
    with pytest.raises(MusicsageError, match="no track with id 424242"):
        resolve(ctx, 424242)


def test_paths_absolute_relative_and_case_insensitive(ctx, tracks, monkeypatch):
    root = tracks["root"]
    assert resolve(ctx, str(root / "Prince/1999.flac")) == tracks["prince"]
    monkeypatch.chdir(root / "Prince")
    assert resolve(ctx, "./1999.flac") == tracks["prince"]
    assert resolve(ctx, str(root / "prince/1999.FLAC")) == tracks["prince"]  # no such file, same key
    assert resolve(ctx, str(root / "loose/track01.wav")) == tracks["untagged"]


def test_a_file_outside_the_library_is_named_in_the_error(ctx, tracks, tmp_path):
    stray = tmp_path / "elsewhere.wav"
    stray.write_bytes(b"")
    with pytest.raises(MusicsageError, match="not in the library"):
        resolve(ctx, str(stray))


def test_a_folder_of_the_library_is_called_a_folder(ctx, tracks, monkeypatch):
    """A scanned folder given as QUERY was "not in the library (scan its folder first)",
    advice no rescan could follow."""
    root = tracks["root"]
    for q in (str(root / "Beatles"), str(root)):
        with pytest.raises(MusicsageError, match="is a folder, not a track: give one of its"):
            resolve(ctx, q)
    monkeypatch.chdir(root)
    with pytest.raises(MusicsageError, match=r"^\./Covers is a folder"):
        resolve(ctx, "./Covers")


def test_a_symbolic_link_names_the_track_it_points_to(ctx, tracks, library, tmp_path):
    """The scan stores a file once, at one path: a link to a track was "not in the library
    (scan its folder first)", and scanning again did not help."""
    root = tracks["root"]
    (root / "Favourites").mkdir()
    (root / "Favourites/best.flac").symlink_to(root / "Beatles/Help.flac")
    assert resolve(ctx, str(root / "Favourites/best.flac")) == tracks["help"]
    real = tmp_path / "disk2/Song.flac"  # a folder the scan reached through a link
    real.parent.mkdir()
    real.write_bytes(b"")
    (root / "Linked").symlink_to(real.parent)
    linked = add_track(library.conn, str(root / "Linked/Song.flac"), title="Song", artist="X")
    assert resolve(ctx, str(real)) == linked
    stray = tmp_path / "stray.wav"
    stray.write_bytes(b"")
    (tmp_path / "to_stray.wav").symlink_to(stray)
    with pytest.raises(MusicsageError, match="not in the library"):
        resolve(ctx, str(tmp_path / "to_stray.wav"))


def test_a_file_uri_names_its_file(ctx, tracks):
    """What a file manager's copy gives: "no track matches 'file:///…'"."""
    root = str(tracks["root"])
    assert resolve(ctx, f"file://{root}/Beatles/Help%20(live).flac") == tracks["help2"]
    assert resolve(ctx, f"file://localhost{root}/AC%20DC/Thunderstruck.mp3") == tracks["acdc"]
    assert resolve(ctx, f"  file://{root}/Prince/1999.flac\n") == tracks["prince"]


def test_text_matches(ctx, tracks):
    assert resolve(ctx, "thunderstruck") == tracks["acdc"]
    assert resolve(ctx, "AC/DC - Thunderstruck") == tracks["acdc"]  # a slash, yet no path
    assert resolve(ctx, "motörhead") == tracks["umlaut"]
    assert resolve(ctx, "MOTÖRHEAD – ace") == tracks["umlaut"]  # en dash, casefolded
    # an exact title beats titles that merely contain it
    assert resolve(ctx, "help!") == tracks["help"]
    assert resolve(ctx, "The Beatles - Yesterday") == tracks["yesterday_b"]
    assert resolve(ctx, "cover band - yest") == tracks["yesterday_c"]


def test_a_file_name_matches_when_no_title_or_artist_does(ctx, tracks, library):
    root = tracks["root"]
    brahms = add_track(library.conn, str(root / "loose/brahms_hungarian_dance_5.ogg"),
                       title="Hungarian Dance No. 5", artist="Army Strings")
    assert resolve(ctx, "brahms") == brahms
    assert resolve(ctx, "Hungarian dance 5") == brahms  # "_" read as a space
    assert resolve(ctx, "brahms_hungarian") == brahms  # typed as the file spells it
    assert resolve(ctx, "track01") == tracks["untagged"]
    # the whole name as a file manager shows it, extension and all
    assert resolve(ctx, "brahms_hungarian_dance_5.ogg") == brahms
    assert resolve(ctx, "Brahms Hungarian Dance 5.OGG") == brahms
    # a title match still comes first: "help" is in two titles (and in their file names)
    with pytest.raises(AmbiguousQuery):
        resolve(ctx, "help")
    # the extension and the folders are not part of the name
    with pytest.raises(MusicsageError, match="no track matches"):
        resolve(ctx, "ogg")
    with pytest.raises(MusicsageError, match="no track matches"):
        resolve(ctx, "loose")


def test_ambiguous_text_lists_the_candidates(ctx, tracks):
    with pytest.raises(AmbiguousQuery) as info:
        resolve(ctx, "Yesterday")
    exc = info.value
    assert exc.total == 2
    assert {c.track_id for c in exc.candidates} == {tracks["yesterday_b"], tracks["yesterday_c"]}
    assert "matches 2 tracks" in str(exc) and "\n" not in str(exc)
    with pytest.raises(AmbiguousQuery) as info:
        resolve(ctx, "beatles")
    assert info.value.total == 3


def test_a_present_copy_wins_over_missing_ones(ctx, tracks, library):
    library.set_missing(tracks["yesterday_c"])
    # a read (similar, radio): the one present track; a write takes it only over missing
    # tracks of its content hash (these two are other songs: tests/search/test_fix4_search_*)
    assert resolve_query(ctx, "Yesterday", copies=True) == tracks["yesterday_b"]
    with pytest.raises(AmbiguousQuery):
        resolve(ctx, "Yesterday")


def test_no_match_and_empty_queries(ctx, tracks):
    with pytest.raises(MusicsageError, match="no track matches 'nothing like this'"):
        resolve(ctx, "nothing like this")
    with pytest.raises(MusicsageError, match="empty query"):
        resolve(ctx, "   ")
    # read as a file name, "_" is a space: it matched every track ("'_' matches 6 tracks")
    with pytest.raises(MusicsageError, match="no track matches '_'"):
        resolve(ctx, "_")


def test_empty_library_says_so(ctx):
    with pytest.raises(MusicsageError, match="library is empty"):
        resolve(ctx, "anything")
