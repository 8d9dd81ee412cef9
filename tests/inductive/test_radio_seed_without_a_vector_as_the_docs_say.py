"""docs/cli.md said that a "query, seed or playlist" none of whose tracks has an audio vector
or a file to analyse is told so in the graph note instead of "embed"; a radio's seed with no
audio vector never gets that note: the radio is refused first, in the audio note's words.
The doc now says so, quoting the refusal ``radio`` prints."""

from __future__ import annotations

import re
from pathlib import Path

from musicsage import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_a_missing_seed_is_refused_in_the_words_the_doc_quotes(trained, add_music, capsys):
    from musicsage.library.db import connect

    new = add_music(trained)
    with connect(trained) as conn:  # never embedded, then its file gone
        conn.execute("UPDATE tracks SET status = 'missing' WHERE id = ?", (new[0],))
    capsys.readouterr()

    rc = cli.main(["--data-dir", str(trained.data_dir), "radio", str(new[0])])

    err = capsys.readouterr().err.strip()
    said = re.sub(r"\((Rescan in the window[^)]*)\)", "(…)", err)
    doc = " ".join(DOC.read_text(encoding="utf-8").split())
    assert rc == 1 and "graph embedding" not in err, err
    assert "a `radio` seed with no audio vector gets no graph note" in doc
    assert f"`{said}`" in doc, said
