"""Only a known audio extension is left out of a file's name when searching.

A dataset dir's path need not name an audio file: an untitled imported track at
``audio/Mr.Brightside`` or ``audio/take5.v2`` was cut at its last dot, so "brightside" and
"v2" found nothing, in the window and with ``similar`` alike. The window's search and the
command line's read a name the same way, ".FLAC" in capitals included.
"""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.browse import without_extension
from musicsage.usecases.library import import_dataset, list_tracks, search_tracks
from musicsage.usecases.search import resolve_query


@pytest.fixture
def imported(ctx, tmp_path):
    d = tmp_path / "ds"
    (d / "audio").mkdir(parents=True)
    for name in ("Mr.Brightside", "take5.v2", "Mr. Jones", "Loud.FLAC"):
        (d / "audio" / name).write_bytes(b"\0" * 64)
    (d / "tracks.csv").write_text("track_id,path\nt1,audio/Mr.Brightside\nt2,audio/take5.v2\n"
                                  "t3,audio/Mr. Jones\nt4,audio/Loud.FLAC\n")
    import_dataset(ctx, d)
    return ctx


def _window(ctx, text: str) -> list[str]:
    found = search_tracks(ctx, text, limit=None, tracks=list_tracks(ctx))
    return sorted(t.path.rsplit("/", 1)[-1] for t in found)


def _command_line(ctx, text: str) -> str | None:
    try:
        track_id = resolve_query(ctx, text)
    except MusicsageError:
        return None
    return next(t.path.rsplit("/", 1)[-1] for t in list_tracks(ctx) if t.id == track_id)


@pytest.mark.parametrize("text, name", [("brightside", "Mr.Brightside"), ("v2", "take5.v2"),
                                        ("take5.v2", "take5.v2"), ("jones", "Mr. Jones")])
def test_a_dot_of_the_name_is_searched_in_the_window_and_on_the_command_line(
        imported, text, name):
    assert _window(imported, text) == [name]
    assert _command_line(imported, text) == name


def test_an_audio_extension_in_capitals_is_still_left_out(imported):
    assert _window(imported, "flac") == []
    assert _command_line(imported, "flac") is None
    assert _window(imported, "loud") == ["Loud.FLAC"]


def test_what_counts_as_an_audio_extension():
    assert without_extension("Mr.Brightside") == "Mr.Brightside"
    assert without_extension("take5.v2") == "take5.v2"
    assert without_extension("Mr. Brightside") == "Mr. Brightside"
    assert without_extension("Song.FLAC") == "Song"
    assert without_extension("01. Intro.v2.m4a") == "01. Intro.v2"
