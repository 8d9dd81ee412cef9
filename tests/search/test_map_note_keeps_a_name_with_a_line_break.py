"""``map``'s notes name users' files, and a file name may hold a line break: each note is
printed on its own ``note:`` line with the break written visibly (``\\x0a``). The notes were
split at line breaks to print ``no_vector``'s line per advice, which cut such a name in two:
its second half became a bogus ``note: audio: name.flac: …`` line."""

from __future__ import annotations

from search_helpers import AUDIO_MODEL, clustered_vectors, run_cli

from musicsage.library.queries import record_error

REASON = "bad\nname.flac: audio ends early (truncated or damaged file?)"


def test_a_failed_file_named_with_a_line_break_is_one_note(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    (new,) = library.add(1, start=99)
    path = library.conn.execute("SELECT path FROM tracks WHERE id = ?", (new,)).fetchone()[0]
    record_error(library.conn, path, f"embed:{AUDIO_MODEL}", REASON, track_id=new)
    library.conn.commit()

    rc, _out, err = run_cli(capsys, ctx, "map", "--space", "audio")

    assert rc == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes == ["note: audio: 1 track left out: it has no audio embedding: analysing its "
                     "file failed: bad\\x0aname.flac: audio ends early (truncated or damaged "
                     "file?)"], err
