"""``radio`` and ``suggest`` say, as ``similar`` does, that a track's file could not be read or
analysed — with the recorded reason — instead of sending the user to run ``embed``, which can
only fail again; a playlist some of whose members failed says they were left out."""

from __future__ import annotations

import pytest
from search_helpers import AUDIO_MODEL, add_playlist, clustered_vectors, run_cli

from musicsage.library.queries import record_error
from musicsage.usecases.suggest import suggest_tracks

REASON = "song099.wav: not a readable audio file (Invalid data found)"


@pytest.fixture
def failed(library) -> int:
    """A track whose analysis failed, in a library of 12 analysed ones."""
    library.add(12)
    library.embed(clustered_vectors(12, clusters=3))
    (new,) = library.add(1, start=99)
    path = library.conn.execute("SELECT path FROM tracks WHERE id = ?", (new,)).fetchone()[0]
    record_error(library.conn, path, f"embed:{AUDIO_MODEL}", REASON, track_id=new)
    return new


def test_radio_from_a_track_whose_analysis_failed_says_why(capsys, ctx, failed):
    rc, _out, err = run_cli(capsys, ctx, "radio", str(failed))
    assert rc == 1
    assert err.strip() == ("musicsage radio: no radio: the seed track has no audio embedding: "
                           f"analysing its file failed: {REASON}")


def test_suggest_for_a_playlist_of_failed_tracks_says_why(capsys, ctx, library, failed):
    add_playlist(library.conn, "/p/only.m3u", "only", [failed])
    rc, _out, err = run_cli(capsys, ctx, "suggest", "only", "--space", "audio")
    assert rc == 1 and "musicsage embed" not in err
    assert err.strip() == ("musicsage suggest: no suggestions: audio: the playlist's only member "
                           f"has no audio embedding: analysing its file failed: {REASON}")


def test_suggest_says_which_members_were_left_out_for_a_failure(ctx, library, failed):
    pid = add_playlist(library.conn, "/p/mixed.m3u", "mixed", [library.ids[0], failed])
    result = suggest_tracks(ctx, pid, space="audio")
    assert result.audio and result.members_used["audio"] == 1
    assert result.notes["audio"] == (
        "1 of the playlist's 2 members has no audio embedding: analysing its file failed: "
        f"{REASON}; the suggestions come from the members that have one")
    assert result.to_dict()["notes"]["audio"] == result.notes["audio"]


def test_a_member_not_analysed_yet_is_still_sent_to_embed(ctx, library, failed):
    (fresh,) = library.add(1, start=200)  # never analysed, nothing failed: embed is the advice
    pid = add_playlist(library.conn, "/p/new.m3u", "new", [fresh])
    result = suggest_tracks(ctx, pid, space="audio")
    assert "musicsage embed" in result.notes["audio"] and "failed" not in result.notes["audio"]
    pid = add_playlist(library.conn, "/p/both.m3u", "both", [fresh, failed])
    note = suggest_tracks(ctx, pid, space="audio").notes["audio"]
    assert note.startswith("no member of the playlist has an audio embedding (")
    assert note.endswith(f"; 1 of the playlist's 2 members has no audio embedding: analysing "
                         f"its file failed: {REASON}")
