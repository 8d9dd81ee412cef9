"""A radio in a library of fewer than 3 different sounds (every track the same vector, or two
songs and their copies) queues the other tracks without a score, as it must (their cosine
says nothing of how alike they sound); a note now says the queue is in no order of sound,
as ``similar`` says there is nothing to compare. The queue was printed as neighbours, and
nothing told the user that its order meant nothing."""

from __future__ import annotations

import json

import numpy as np
from search_helpers import clustered_vectors, run_cli

from musicsage.search.similar import TOO_FEW_NOTE
from hints_told_support import as_default


def test_a_radio_of_identical_sounds_says_its_order_is_none(capsys, ctx, library):
    library.add(6)
    library.embed(np.ones((6, 8), np.float32))
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "3")
    assert rc == 0 and out.count("(#") == 3
    assert f"the queue is in no order of sound: {TOO_FEW_NOTE}" in as_default(err, ctx.data_dir)
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--json")
    data = json.loads(out)
    assert [t["score"] for t in data["tracks"]] == [None] * 5
    assert "the queue is in no order of sound" in data["note"]


def test_a_radio_of_different_sounds_has_no_such_note(capsys, ctx, library):
    library.add(6)
    library.embed(clustered_vectors(6))
    library.conn.commit()
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]), "--length", "3")
    assert rc == 0 and "no order of sound" not in err
