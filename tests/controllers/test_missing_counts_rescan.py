"""Rescan with missing tracks that keep their vectors: what changed is still analysed, the
counts of vectors are of present tracks, and the neighbours on screen are read anew."""

from __future__ import annotations

import os

from musicsage.library.db import connect
from musicsage.library.queries import embedding_counts


def loaded(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    app.library.embed_model = "spectral"
    return app, runner


def re_record(path: str, title: str) -> None:
    """New audio under the old name, titled ``title`` (a retag alone keeps the vectors:
    library/audio_hash.py)."""
    import mutagen
    import soundfile as sf

    audio, rate = sf.read(path)
    sf.write(path, audio[::-1] * 0.5, rate)
    f = mutagen.File(path, easy=True)
    f["title"] = title
    f.save()
    st = os.stat(path)
    os.utime(path, (st.st_atime, st.st_mtime + 10))  # seen as changed whatever the clock


def test_rescan_embeds_a_changed_track_though_a_missing_one_keeps_its_vector(library, make_app):
    app, runner = loaded(make_app, library)
    gone, changed = app.library.snapshot.tracks[0], app.library.snapshot.tracks[1]
    os.remove(gone.fs_path)
    app.library.scan([])  # as Rescan: the deleted file's track is missing, its vector kept
    runner.drain()
    snap = app.library.snapshot
    assert snap.stats.tracks.missing == 1 and snap.stats.embeddings == {"spectral": 12}
    assert snap.embedded == 11 == snap.stats.tracks.present and not snap.needs_embedding

    re_record(changed.fs_path, "Retagged")
    app.library.scan([])
    runner.drain()
    assert "Computing embeddings" in runner.ran[-6:]
    snap = app.library.snapshot
    assert snap.by_id[changed.id].title == "Retagged"
    assert snap.stats.tracks.needs_analysis == 0 and not snap.needs_embedding
    assert snap.embedded == 11 and embedding_counts(connect(library)) == {"spectral": 12}
    assert embedding_counts(connect(library), present_only=True) == {"spectral": 11}


def test_rescan_reads_the_selected_tracks_neighbours_anew(library, make_app, recorder):
    """A neighbour whose file was deleted is marked missing by Rescan: the lists on screen are
    read again (they showed what was read before the scan until another click)."""
    app, runner = loaded(make_app, library)
    lists = recorder(app.selection.neighbours_loaded)
    selected = app.library.snapshot.tracks[2]
    app.selection.select(selected.id, play=False)
    runner.drain()
    assert len(lists) == 1
    neighbour = lists.last[0].audio[0]["track_id"]
    os.remove(app.library.snapshot.by_id[neighbour].fs_path)
    app.library.scan([])
    runner.drain()
    assert "Computing embeddings" not in runner.ran  # nothing lacks a vector: no run refreshes
    assert app.library.snapshot.stats.tracks.missing == 1
    assert len(lists) == 2 and lists.last[0].query["track_id"] == selected.id


def test_stats_counts_the_vectors_of_present_tracks_as_the_window_does(library, make_app,
                                                                       capsys):
    """The window said "11 embedded" of 11 present tracks, ``stats`` 12: the vector of the
    missing track is said apart."""
    from musicsage import cli
    from musicsage.controllers.library import audio_summary

    app, runner = loaded(make_app, library)
    os.remove(app.library.snapshot.tracks[0].fs_path)
    app.library.scan([])
    runner.drain()
    assert audio_summary(app.library.snapshot) == ("spectral", "11 embedded")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(library.data_dir), "stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "embeddings spectral: 11 (+1 of missing tracks)" in out
