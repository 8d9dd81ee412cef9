"""A library analysed with ``--max-seconds`` by a version before the ``analysis_budget``
setting (efd8145; the old demo, built from short excerpts) stores only its vectors' version:
it read as wholly unembedded, and one ``embed`` re-analysed every track. The budget is read
from the version most vectors carry and kept as the setting; a new ``--max-seconds`` given
still re-analyses, as it always did."""

from __future__ import annotations

import pytest
from library_audio import write_audio
from version_support import run

from musicsage.audio.selection import BUDGET_SETTING, pending_analysis
from musicsage.library import queries as q
from musicsage.library.db import connect


def old_excerpt_library(ctx, music) -> dict[int, str]:
    """Four tones analysed in 0.5-s excerpts, the setting removed as versions before it left
    the library: ``{track id: created_at}`` of their vectors."""
    for i, freq in enumerate((220.0, 330.0, 440.0, 550.0)):
        write_audio(music / f"t{i}.wav", seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral", "--max-seconds", "0.5")
    conn = connect(ctx)
    conn.execute("DELETE FROM settings WHERE key = ?", (BUDGET_SETTING,))
    return created(ctx)


def created(ctx) -> dict[int, str]:
    return {r[0]: r[1] for r in connect(ctx).execute(
        "SELECT track_id, created_at FROM audio_embeddings")}


def test_an_old_excerpt_library_reads_as_embedded_and_nothing_is_redone(ctx, music, capsys):
    before = old_excerpt_library(ctx, music)
    capsys.readouterr()

    assert pending_analysis(ctx) == (0, 0)
    assert q.get_setting(connect(ctx), BUDGET_SETTING) == {"spectral": {"max_seconds": 0.5}}
    run(ctx, "embed")

    assert "nothing to embed" in capsys.readouterr().out
    assert created(ctx) == before, "no vector was made again"


def test_a_new_max_seconds_given_still_reanalyses(ctx, music, capsys):
    before = old_excerpt_library(ctx, music)

    run(ctx, "embed", "--max-seconds", "0.25")

    assert set(q.embedding_versions(connect(ctx), "spectral").values()) == {
        "spectral1;sr=22050;max=0.25;excerpts=3"}
    assert created(ctx).keys() == before.keys()
    assert q.get_setting(connect(ctx), BUDGET_SETTING) == {"spectral": {"max_seconds": 0.25}}


def test_a_library_of_the_defaults_reads_its_vectors_once(ctx, music, monkeypatch):
    write_audio(music / "t.wav", seconds=1.0, freq=440.0)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")

    assert pending_analysis(ctx) == (0, 0)
    assert q.get_setting(connect(ctx), BUDGET_SETTING) is None, "a read writes nothing"
    monkeypatch.setattr(q, "shown_version", lambda *_: pytest.fail("the vectors read again"))
    assert pending_analysis(ctx) == (0, 0), "as every stats and window snapshot asks"
