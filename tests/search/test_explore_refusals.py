"""The explore commands say when they cannot give what was asked (audit of session 53).

A failure reaches stderr with exit 1 even when stdout is a closed pipe; a list that no
requested space can give, a playlist file given as a QUERY and list options given with
``suggest --add``/``--remove`` are refused in one line; a radio queue shorter than asked says
so.
"""

from __future__ import annotations

import io
import json

import pytest
from models_support import STAND_IN_MODEL_PT
from search_helpers import add_playlist, clustered_vectors, run_cli

from musicsage import cli
from musicsage.errors import MusicsageError
from hints_told_support import as_default


@pytest.fixture
def lib(library):
    """20 tracks with audio vectors (no graph model) and a playlist of four."""
    library.add(20)
    library.embed(clustered_vectors(20, clusters=4))
    library.mix = add_playlist(library.conn, "/p/mix.m3u", "Mix", library.ids[:4])
    return library


class ClosedPipe(io.TextIOBase):
    """stdout after ``| head -1`` has gone: every write fails."""

    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


@pytest.mark.parametrize("json_out", [[], ["--json"]])
def test_a_closed_stdout_does_not_hide_an_ambiguous_query(capsys, ctx, lib, monkeypatch,
                                                          json_out):
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    rc = cli.main(["similar", "Song", *json_out, "--data-dir", str(ctx.data_dir)])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.count("\n") == 1 and "'Song' matches 20 tracks" in err


def test_a_list_no_requested_space_can_give_exits_1(capsys, ctx, lib):
    rc, out, err = run_cli(capsys, ctx, "similar", str(lib.ids[0]), "--space", "graph")
    assert (rc, out) == (1, "")
    assert err.count("\n") == 1 and "no similar tracks: graph: no trained graph model" in err
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mix", "--space", "graph", "--json")
    assert (rc, out) == (1, "") and "no suggestions: graph:" in err
    rc, out, err = run_cli(capsys, ctx, "similar", str(lib.ids[0]))  # audio alone: a list
    assert rc == 0 and "no trained graph model" in err and "no trained graph model" not in out


def test_no_vectors_at_all_exits_1(capsys, ctx, library):
    library.add(5)
    rc, out, err = run_cli(capsys, ctx, "similar", str(library.ids[0]), "--json")
    assert (rc, out) == (1, "")
    assert err.count("\n") == 1 and "graph: " in err and "; audio: " in err


@pytest.mark.parametrize("extra", [["--m3u", "OUT"], ["-k", "3"], ["--space", "audio"],
                                   ["--variety"], ["--method", "nearest"],
                                   ["-k", "10"], ["--space", "both"]])  # typed defaults too
@pytest.mark.parametrize("write", ["--add", "--remove"])
def test_list_options_with_add_or_remove_are_refused(capsys, ctx, lib, tmp_path, extra, write):
    dest = tmp_path / "z.m3u"
    extra = [str(dest) if a == "OUT" else a for a in extra]
    rc, out, err = run_cli(capsys, ctx, "suggest", "Mix", write, str(lib.ids[9]), *extra)
    assert (rc, out) == (1, "")
    assert err.count("\n") == 1 and f"{extra[0]} goes with a list" in err and write in err
    assert not dest.exists()


def test_a_radio_shorter_than_asked_says_so(capsys, ctx, lib):
    rc, out, err = run_cli(capsys, ctx, "radio", str(lib.ids[0]), "--length", "100")
    assert rc == 0 and "the queue has 19 tracks, not 100" in err
    rc, out, err = run_cli(capsys, ctx, "radio", str(lib.ids[0]), "--length", "100", "--json")
    data = json.loads(out)
    assert rc == 0 and (data["length"], data["requested"]) == (19, 100)
    rc, out, err = run_cli(capsys, ctx, "radio", str(lib.ids[0]), "--length", "5")
    assert rc == 0 and "the queue has" not in err


def test_a_playlist_file_as_query_points_to_suggest(capsys, ctx, library, tmp_path):
    """A hard link to the playlist's file (another player's name for it) is that playlist
    too, as ``--m3u`` already knew (one lookup, :func:`~musicsage.library.relations.
    playlist_at`); it was told "a playlist file" to import."""
    import os

    library.add(3)
    own = tmp_path / "Slow Burn.m3u8"
    other = tmp_path / "other.m3u8"
    for f in (own, other):
        f.write_text("#EXTM3U\n")
    os.link(own, tmp_path / "hard.m3u8")
    add_playlist(library.conn, str(own), "Slow Burn", library.ids[:2])
    for query in (own, tmp_path / "hard.m3u8"):
        rc, _, err = run_cli(capsys, ctx, "similar", str(query))
        err = as_default(err, ctx.data_dir)
        assert rc == 1 and err.count("\n") == 1
        assert (f"{query} is the library's playlist 'Slow Burn', not a track: `musicsage "
                "suggest") in err
    rc, _, err = run_cli(capsys, ctx, "radio", str(other))
    assert rc == 1 and "is a playlist file, not a track" in err and "suggest" in err


def test_the_current_models_damage_is_told_as_models_tells_it(ctx, lib):
    """``current_model_problem``: what ``stats`` needs to say DAMAGED as ``models`` does."""
    import numpy as np

    from musicsage.graph.store import new_model_dir, register_model, write_embeddings
    from musicsage.library.db import connect
    from musicsage.usecases.models import current_model_problem, list_graph_models

    assert current_model_problem(ctx) is None  # no model yet
    model_dir = new_model_dir(ctx, "spectral-test")
    write_embeddings(model_dir, np.array(lib.ids), np.ones((20, 4), np.float32))
    (model_dir / "model.pt").write_bytes(STAND_IN_MODEL_PT)
    register_model(connect(ctx), ctx, model_dir, name="test", audio_model="spectral-test",
                   params={}, metrics={}, fingerprint="test")
    assert current_model_problem(ctx) is None
    (model_dir / "embeddings.npy").unlink()
    problem = current_model_problem(ctx)
    assert problem and problem == list_graph_models(ctx)[0].problem


def test_export_refuses_the_data_dir_and_a_missing_parent(ctx, tmp_path):
    from musicsage.usecases.export_dir import check_export_dir

    with pytest.raises(MusicsageError, match="is the library's own data dir"):
        check_export_dir(ctx, ctx.data_dir / ".." / ctx.data_dir.name)
    with pytest.raises(MusicsageError, match="the folder .*nope.* does not exist"):
        check_export_dir(ctx, tmp_path / "nope" / "out")
    assert not (tmp_path / "nope").exists()
    check_export_dir(ctx, tmp_path / "out")  # made when missing, as before
    check_export_dir(ctx, tmp_path)  # an existing folder


def test_a_radio_with_nothing_to_queue_exits_1(capsys, ctx, library):
    library.add(2)
    library.embed(clustered_vectors(2, clusters=2))
    library.set_missing(library.ids[1])
    rc, out, err = run_cli(capsys, ctx, "radio", str(library.ids[0]))
    assert (rc, out) == (1, "")
    assert err == ("musicsage radio: no radio: no other track to queue after the seed (copies "
                   "of it and missing files are never queued)\n")
