"""What a search says of the tracks the one-analysis-version rule leaves out: a query track
whose own vector is of the other version is told so (it has one: ``embed`` finishes the
re-analysis), not "has no audio embedding"; and tracks of the other version that are
missing files count too — the audio space and its map hold missing tracks, so they dropped
out without a word."""

from __future__ import annotations

import json

from version_support import run, two_versions

from musicsage import cli
from musicsage.library import queries as q
from musicsage.library.db import connect

def similar(ctx, capsys, track_id: int) -> dict:
    capsys.readouterr()
    run(ctx, "similar", track_id, "--space", "audio", "--json")
    return json.loads(capsys.readouterr().out)


def test_a_query_of_the_other_version_is_told_why_it_has_no_list(ctx, tmp_path, capsys):
    _, other = two_versions(ctx, tmp_path / "music")

    capsys.readouterr()
    rc = cli.main(["similar", str(min(other)), "--space", "audio", "--json",
                   "--data-dir", str(ctx.data_dir)])
    out, note = capsys.readouterr()

    assert rc == 1 and out == "" and note.count("\n") == 1  # no list: one line, exit 1
    assert note.startswith("musicsage similar: no similar tracks: audio: the query track's")
    assert "no audio embedding" not in note
    assert "made with other analysis settings" in note and "than most tracks'" in note
    assert f"`musicsage --data-dir {ctx.data_dir} embed` finishes the re-analysis" in note


def test_missing_tracks_of_the_other_version_are_counted(ctx, tmp_path, capsys):
    music = tmp_path / "music"
    most, other = two_versions(ctx, music)
    paths = {t["id"]: t["path"] for t in q.all_tracks(connect(ctx))}
    for track_id in other:  # on a drive that is unplugged now
        (tmp_path / "music" / paths[track_id].rsplit("/", 1)[1]).unlink()
    run(ctx, "scan", music)

    result = similar(ctx, capsys, min(most))

    assert q.shown_version(connect(ctx), "spectral") == \
        q.embedding_versions(connect(ctx), "spectral")[min(most)], "present tracks choose"
    assert {row["track_id"] for row in result["audio"]} == most - {min(most)}
    assert result["audio_note"].startswith("2 tracks left out: their spectral vectors were")
    assert "2 of them are missing files" in result["audio_note"]
