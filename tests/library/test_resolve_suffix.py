"""Rule 6 of playlist resolution (``library/playlists/resolve.py``): a suffix match counts the
folders below a track's library root and ignores those above it.

Unit-level: a :class:`TrackIndex` built from (id, path) rows, as ``TrackIndex.from_db`` builds
it from the tracks and ``track_moves`` — no files, no DB."""

from __future__ import annotations

import time
import unicodedata

from musicsage.library.playlists.resolve import NOT_IN_LIBRARY, TrackIndex, resolve_entry

ROOT = "/home/u/Music"
BEATLES = f"{ROOT}/Beatles/Greatest Hits/01 Intro.wav"
QUEEN = f"{ROOT}/Queen/Greatest Hits/01 Intro.wav"


def resolve(index: TrackIndex, raw: str):
    return resolve_entry(raw, "/home/u/lists", index)


def test_another_artists_folder_is_not_the_track():
    """The audit's repro: the only "Greatest Hits/01 Intro.wav" is the Beatles', and a stale
    entry naming Queen's must not become it (it fed training, and `suggest --remove` of the
    Beatles track then deleted the Queen line from the user's file)."""
    index = TrackIndex([(1, BEATLES)], [ROOT])
    for raw in ("/old/Queen/Greatest Hits/01 Intro.wav",
                "C:\\Music\\Queen\\Greatest Hits\\01 Intro.wav",
                "file:///C:/Music/Queen/Greatest%20Hits/01%20Intro.wav",
                "../Queen/Greatest Hits/01 Intro.wav"):
        res = resolve(index, raw)
        assert res.track_id is None, raw
        assert res.reason == (f"{NOT_IN_LIBRARY}; a track of that name is in another folder: "
                              "Beatles/Greatest Hits/01 Intro.wav"), raw


def test_a_playlist_from_another_machine_still_resolves():
    noel = unicodedata.normalize("NFD", "Noël")  # as some disks spell it
    index = TrackIndex([(1, BEATLES), (2, f"{ROOT}/{noel}/01 Intro.wav")], [ROOT])
    for raw in ("C:\\Users\\me\\Music\\Beatles\\Greatest Hits\\01 Intro.wav",
                "c:\\users\\ME\\music\\BEATLES\\greatest hits\\01 intro.WAV",
                "\\\\nas\\share\\Beatles\\Greatest Hits\\01 Intro.wav",
                "file://nas/share/Beatles/Greatest%20Hits/01%20Intro.wav",
                "/media/old-disk/Beatles/Greatest Hits/01 Intro.wav",
                # the root's own name is above it: it need not agree, once two parts do
                "D:\\Beatles\\Greatest Hits\\01 Intro.wav"):
        assert resolve(index, raw).track_id == 1, raw
    assert resolve(index, "C:\\Music\\NOËL\\01 Intro.wav").track_id == 2
    assert resolve(index, "01 Intro.wav").track_id is None  # a bare file name never does


def test_a_shorter_entry_resolves_only_when_one_track_ends_so():
    short = "Greatest Hits/01 Intro.wav"
    assert resolve(TrackIndex([(1, BEATLES)], [ROOT]), short).track_id == 1
    both = TrackIndex([(1, BEATLES), (2, QUEEN)], [ROOT])
    res = resolve(both, short)
    assert res.track_id is None and res.reason.startswith("ambiguous: several tracks")
    assert resolve(both, "C:\\Music\\Queen\\Greatest Hits\\01 Intro.wav").track_id == 2


def test_a_file_at_the_root_needs_its_folder_name_too():
    index = TrackIndex([(1, f"{ROOT}/01 Intro.wav")], [ROOT])
    assert resolve(index, "C:\\Users\\me\\Music\\01 Intro.wav").track_id == 1
    res = resolve(index, "C:\\Users\\me\\Other\\01 Intro.wav")
    assert (res.track_id, res.reason) == (None, NOT_IN_LIBRARY)


def test_moved_tracks_and_several_roots():
    """An old path (``track_moves``) is read under its own root; nested roots count from the
    outer one (more folders must agree); the same song under two roots goes to the path
    agreeing furthest, a tie to none."""
    moved = TrackIndex([(7, f"{ROOT}/Queen/Greatest Hits/01 Intro.wav"),  # the old path
                        (7, f"{ROOT}/Queen - Greatest Hits/01 Intro.wav")], [ROOT])
    assert resolve(moved, "C:\\Music\\Queen\\Greatest Hits\\01 Intro.wav").track_id == 7
    assert resolve(moved, "C:\\Music\\Beatles\\Greatest Hits\\01 Intro.wav").track_id is None
    nested = TrackIndex([(1, QUEEN)], [ROOT, f"{ROOT}/Queen"])
    assert resolve(nested, "/old/Beatles/Greatest Hits/01 Intro.wav").track_id is None
    two = TrackIndex([(1, QUEEN), (2, "/mnt/usb/Songs/Queen/Greatest Hits/01 Intro.wav")],
                     [ROOT, "/mnt/usb/Songs"])
    assert resolve(two, "C:\\Users\\u\\Music\\Queen\\Greatest Hits\\01 Intro.wav").track_id == 1
    assert resolve(two, "D:\\Queen\\Greatest Hits\\01 Intro.wav").track_id is None


def test_many_alike_folders_stay_fast():
    """50,000 tracks in "Artist/CD1/01.mp3"-style folders (one shared two-part tail) and a
    10,000-entry playlist: look-ups, not a scan of the alike tracks per entry."""
    rows = [(i, f"{ROOT}/Artist {i}/CD1/01.mp3") for i in range(50_000)]
    start = time.perf_counter()
    index = TrackIndex(rows, [ROOT])
    found = [resolve(index, f"C:\\Music\\Artist {i}\\CD1\\01.mp3").track_id
             for i in range(0, 50_000, 10)]
    ambiguous = [resolve(index, "CD1\\01.mp3").track_id for _ in range(5_000)]
    assert found == list(range(0, 50_000, 10)) and ambiguous == [None] * 5_000
    assert time.perf_counter() - start < 10  # about 1 s; the old rule took minutes
