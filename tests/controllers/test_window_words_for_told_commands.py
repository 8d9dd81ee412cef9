"""The use cases' notes backtick the commands they tell (the command line adds its --data-dir
to a backticked one); the window shows its own controls instead, without backticks: a
missing file's "(Rescan in the window, or `musicsage scan`)" and an empty library's "scan a
music folder first, e.g. `musicsage scan ~/Music`" (which read "(add a music folder first
(File ▸ Add music folder…))", nested, once the window's words went in)."""

from __future__ import annotations

from musicsage.controllers.wording import window_note
from musicsage.usecases.embedding import LIBRARY_HAS_NO_TRACKS


def test_a_missing_files_rescan_is_said_in_the_windows_words():
    from musicsage.usecases.left_out_notes import no_file_to_analyse

    note = no_file_to_analyse({"path": "/x/a.flac", "status": "missing"})
    assert note is not None and "`musicsage scan`" in note  # the command line's --data-dir
    said = window_note(note)
    assert "`" not in said and "a rescan (press Rescan) and an embed analyse it" in said


def test_an_empty_library_is_said_in_the_windows_words():
    said = window_note("nothing to embed: " + LIBRARY_HAS_NO_TRACKS)
    assert said == ("nothing to embed: the library has no tracks; add a music folder first "
                    "(File ▸ Add music folder…)")
