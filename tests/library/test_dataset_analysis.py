"""An exported library imported elsewhere keeps its vectors current: features.json carries the
analysis settings they were made with, ``embed`` redoes nothing, ``stats`` agrees with it."""

from __future__ import annotations

import json

import pytest
from library_audio import write_audio

from musicsage.audio.selection import BUDGET_SETTING, embed_library
from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import (export_dataset, import_dataset, library_stats,
                                        scan_library)


@pytest.fixture
def analysed(ctx, tmp_path):
    """Three tracks analysed in 1-second excerpts (as the demo is, to be quick)."""
    for name in ("a", "b", "c"):
        write_audio(tmp_path / "music" / f"{name}.wav", seconds=0.5)
    scan_library(ctx, [tmp_path / "music"], [])
    assert embed_library(ctx, "spectral", max_seconds=1).embedded == 3
    return ctx


def test_export_import_embed_re_analyses_nothing(analysed, tmp_path):
    export_dataset(analysed, tmp_path / "exp")
    other = AppContext.create(tmp_path / "other")
    import_dataset(other, tmp_path / "exp")
    assert library_stats(other).tracks.needs_analysis == 0
    again = embed_library(other, "spectral")
    assert (again.total, again.embedded) == (0, 0)
    info = json.loads((tmp_path / "exp" / "features.json").read_text())
    assert info["analysis"] == {"max_seconds": 1.0}


def test_stats_counts_what_embed_would_do_after_an_import_of_current_vectors(ctx, tmp_path):
    """Vectors made with the default settings (an export without ``analysis``): embed has
    nothing to do, and stats said "3 to analyse" for ever after."""
    for name in ("a", "b", "c"):
        write_audio(tmp_path / "music" / f"{name}.wav", seconds=0.5)
    scan_library(ctx, [tmp_path / "music"], [])
    embed_library(ctx, "spectral")
    export_dataset(ctx, tmp_path / "exp")
    assert "analysis" not in json.loads((tmp_path / "exp" / "features.json").read_text())

    other = AppContext.create(tmp_path / "other")
    import_dataset(other, tmp_path / "exp")
    assert embed_library(other, "spectral").total == 0
    assert library_stats(other).tracks.needs_analysis == 0
    q.set_setting(connect(other), BUDGET_SETTING, {"spectral": {"max_seconds": 2}})
    assert library_stats(other).tracks.needs_analysis == 3  # now embed would redo them


def test_a_library_with_settings_of_its_own_keeps_them_and_embed_says_why(analysed,
                                                                          tmp_path):
    export_dataset(analysed, tmp_path / "exp")
    other = AppContext.create(tmp_path / "other")
    q.set_setting(connect(other), BUDGET_SETTING, {"spectral": {"max_seconds": 2}})
    rep = import_dataset(other, tmp_path / "exp")
    assert any("own settings (2 s per track)" in n for n in rep.notes)
    assert q.get_setting(connect(other), BUDGET_SETTING) == {"spectral": {"max_seconds": 2}}
    assert library_stats(other).tracks.needs_analysis == 3
    again = embed_library(other, "spectral")
    assert again.embedded == 3
    assert again.reanalysis == ("3 vectors of spectral were made with other analysis settings "
                                "than this run's (2 s per track): re-analysing")


def test_export_leaves_out_vectors_of_another_version_and_says_so(analysed, tmp_path):
    """A re-analysis cut short leaves vectors of two versions: labelled with one, the others
    would be mislabelled, and an import would take them as current."""
    conn = connect(analysed)
    conn.execute("UPDATE audio_embeddings SET model_version = 'older' WHERE track_id = 1")
    rep = export_dataset(analysed, tmp_path / "exp")
    assert rep.features[0] == 2 and rep.skipped_tracks == 1
    assert any("1 track whose spectral vectors were made with other analysis settings" in n
               for n in rep.notes)
    info = json.loads((tmp_path / "exp" / "features.json").read_text())
    assert info["model_version"] != "older" and info["analysis"] == {"max_seconds": 1.0}


def test_an_export_whose_settings_changed_since_names_none(analysed, tmp_path):
    """The setting no longer makes the stored vectors' version: written, it would mislabel
    them (the import would adopt a setting they were not made with)."""
    q.set_setting(connect(analysed), BUDGET_SETTING, {"spectral": {"max_seconds": 2}})
    rep = export_dataset(analysed, tmp_path / "exp")
    assert rep.analysis is None
    assert "analysis" not in json.loads((tmp_path / "exp" / "features.json").read_text())
