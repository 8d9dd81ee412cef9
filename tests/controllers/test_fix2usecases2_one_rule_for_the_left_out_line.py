"""The window's status line, the line beside the lists (the window's and ``similar``'s note)
say the same of the same tracks of another analysis version: how many are left out, and
embed advice only where an embed can analyse some of them now (task fix2_usecases2).

Two tracks imported from a dataset dir without an audio file and a missing file were "3 tracks
left out: …; musicsage embed analyses them again (2 of them: …) (1 of them is a missing file:
once back)" beside the lists — embed mends none of them, and said it again after an embed —
while the window's status line said "The audio map leaves out 2 tracks …, they stay off it"."""

from __future__ import annotations

import pytest
from test_window2_reanalysis_advice import _ids, _other_version, _said, no_pending  # noqa: F401

from musicsage.usecases.spaces import NO_FILE_WORDS, SearchSpaces

CASES = {"2 dataset + 1 missing": (2, 1, 0), "1 dataset + 1 missing + 1 present": (1, 1, 1)}


@pytest.mark.parametrize("pending", ["no_pending", "counted"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_status_line_and_the_lines_beside_the_lists_agree(library, make_app, request, case,
                                                              pending):
    """With the tracks still to be analysed counted too (task fix3_usecases2: that form of the
    status line ended "(but not 1 imported …)" and named no missing file)."""
    from musicsage.controllers.selection import beside_lists
    from musicsage.usecases.embedding import embed_library

    if pending == "no_pending":
        request.getfixturevalue("no_pending")
    from musicsage.usecases.search import similar_tracks

    dataset, missing, present = CASES[case]
    ids = _ids(library, dataset + missing + present + 1)
    _other_version(library, ids[:dataset], dataset=True)
    _other_version(library, ids[dataset:dataset + missing], status="missing")
    _other_version(library, ids[dataset + missing:-1])
    status = _said(library, make_app)
    result = similar_tracks(library, ids[-1], space="audio", spaces=SearchSpaces(library))
    note, window = result.notes["audio"], beside_lists(result)
    parts = f"(1 of them: {NO_FILE_WORDS}) (1 of them is a missing file: once back"
    if present:  # the present one: Compute embeddings analyses it, the missing one once back
        head = ("The audio map leaves out 3 tracks analysed with other settings than the rest"
                if pending == "no_pending" else "1 track still to be analysed again (the audio "
                "map leaves out 3 analysed with other settings than the rest)")
        assert status.endswith(f"{head}: Analyse ▸ Compute embeddings finishes the "
                               f"re-analysis {parts}, a rescan and an embed analyse it)"), status
        assert note.startswith("3 tracks left out"), note
        assert note.endswith(f"; `musicsage embed` analyses them again {parts}, a rescan and an "
                             "embed analyse it)"), note
        assert window.endswith(f"; Analyse ▸ Compute embeddings analyses them again {parts}, a"
                               " rescan and an embed analyse it)"), window
        return
    parts = (f"(2 of them: {NO_FILE_WORDS}) (1 of them is a missing file: once back, a rescan "
             "and an embed analyse it)")
    assert status.endswith("The audio map leaves out 3 tracks analysed with other settings "
                           f"than the rest: none can be analysed again now {parts}"), status
    assert note.startswith("3 tracks left out"), note
    assert note.endswith(f"than the rest; none can be analysed again now {parts}"), note
    assert window.endswith(f"than the rest; none can be analysed again now {parts}"), window
    assert "musicsage embed" not in note and "Compute embeddings" not in window + status
    assert "re-analysis" not in status
    embed_library(library, "spectral")  # it has nothing to do for them: the line stays true
    assert SearchSpaces(library).left_out("audio") == note
