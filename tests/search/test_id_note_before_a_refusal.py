"""A bare number read as a track id says so, and how to name the tracks titled so, even when
what follows is refused: with no vectors, `similar 2` said only "no similar tracks: …", and
nothing of the song "2" it may have meant."""

from __future__ import annotations

import pytest
from search_helpers import add_track, run_cli

from musicsage.library.db import connect


@pytest.mark.parametrize("command, refusal", [("similar", "no similar tracks"),
                                              ("radio", "no radio")])
def test_the_id_note_comes_before_the_refusal(capsys, ctx, tmp_path, command, refusal):
    conn = connect(ctx)
    first = add_track(conn, str(tmp_path / "a.wav"), title="Vibe Ace", artist="Kevin")
    add_track(conn, str(tmp_path / "b.wav"), title=str(first), artist="Taylor Swift")
    conn.commit()
    for json_out in ([], ["--json"]):
        rc, out, err = run_cli(capsys, ctx, command, str(first), *json_out)
        lines = err.splitlines()
        assert (rc, out) == (1, "") and len(lines) == 2, err
        assert lines[0] == (f"note: '{first}' was read as track id #{first} (Kevin - Vibe "
                            f"Ace); to name the track titled '{first}', give 'Taylor Swift - "
                            f"{first}'")
        assert refusal in lines[1]
