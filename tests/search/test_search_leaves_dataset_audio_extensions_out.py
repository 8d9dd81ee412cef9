"""A dataset dir's audio files the scan does not take have their extension left out too.

A dataset dir's ``path`` column may name any file: GTZAN's ``blues.00000.au``, a MIDI set's
``.mid``. Only the scan's own extensions were left out of a searched name, so "au" matched
every GTZAN track, in the window and with ``similar`` alike. A made-up name's own dot
(``take5.v2``) is kept: nothing tells it from an extension. And the line of a QUERY nothing
matches no longer says its file name was matched whole, where its extension was left out.
"""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.usecases.library import import_dataset, list_tracks, search_tracks
from musicsage.usecases.search import resolve_query

NAMES = ("blues.00000.au", "blues.00001.AU", "jazz.00002.snd", "prelude.mid", "take5.v2")


@pytest.fixture
def imported(ctx, tmp_path):
    d = tmp_path / "ds"
    (d / "genres").mkdir(parents=True)
    for name in NAMES:
        (d / "genres" / name).write_bytes(b"\0" * 64)
    rows = "".join(f"t{i},genres/{name}\n" for i, name in enumerate(NAMES))
    (d / "tracks.csv").write_text("track_id,path\n" + rows)
    import_dataset(ctx, d)
    return ctx


def _window(ctx, text: str) -> list[str]:
    found = search_tracks(ctx, text, limit=None, tracks=list_tracks(ctx))
    return sorted(t.path.rsplit("/", 1)[-1] for t in found)


def _refusal(ctx, text: str) -> str:
    with pytest.raises(MusicsageError) as refused:
        resolve_query(ctx, text)
    return str(refused.value)


@pytest.mark.parametrize("text", ["au", "snd", "mid"])
def test_a_dataset_files_audio_extension_matches_no_track(imported, text):
    assert _window(imported, text) == []
    assert _refusal(imported, text) == (f"no track matches {text!r} (by id, path, title, "
                                        "artist or file name without its extension)")


def test_the_name_itself_is_still_found(imported):
    assert _window(imported, "blues") == ["blues.00000.au", "blues.00001.AU"]
    assert _window(imported, "blues.00000.au") == ["blues.00000.au"]  # a dot: the whole name
    assert _window(imported, "v2") == ["take5.v2"]  # a made-up name's own dot is kept
    prelude = resolve_query(imported, "prelude")
    assert next(t.path for t in list_tracks(imported) if t.id == prelude).endswith("prelude.mid")


def test_a_query_with_a_dot_is_told_the_whole_name_was_matched(imported):
    assert _refusal(imported, "fugue.mid") == ("no track matches 'fugue.mid' (by id, path, "
                                               "title, artist or file name)")
    assert _refusal(imported, "999") == ("no track with id 999 (nor a title, artist or file "
                                         "name without its extension matching '999')")
