"""The command line's lines a new user met first (an audit of a first session): each says what
is true of the library in words that tell what to do, not what the code knows.

- ``train``/``eval`` on a library with no tracks sent the user to ``embed``, which had
  nothing to embed: they say to scan a folder;
- ``embed`` with nothing to do said "on auto", "embedded 0 of 0 tracks", and on a dataset's
  library named MusiCNN with advice to download OpenL3: now one line;
- ``embed --model spectral-dataset`` named two models in one line;
- ``scan`` labelled ``.m3u8`` playlists "(m3u)";
- ``train`` stopped by Ctrl-C said "interrupted" alone: it says which model stays current;
- ``forget`` promised that adding the folder back resolves the entries, where the tracks come
  back as new ones, without their vectors.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from musicsage.cli import main
from hints_told_support import as_default
from music_support import make_music


def run(capsys, data_dir, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scanned(tmp_path, data_dir, capsys):
    """A scanned library of 4 short tracks, 6 ``.m3u8`` playlists; the scan's stdout."""
    music, playlists, _ = make_music(tmp_path, n_tracks=4, seconds=0.5)
    code, out, _ = run(capsys, data_dir, "scan", str(music), "--playlists", str(playlists))
    assert code == 0
    return music, out


@pytest.mark.parametrize("command", ["train", "eval"])
def test_a_library_with_no_tracks_is_sent_to_scan_not_to_embed(capsys, data_dir, scanned,
                                                                command):
    """Its only music folder forgotten: ``embed`` could not help."""
    assert run(capsys, data_dir, "forget", str(scanned[0]))[0] == 0
    code, _, err = run(capsys, data_dir, command)
    assert code == 1
    assert as_default(err, data_dir) == (
        f"musicsage {command}: the library has no tracks; scan a music folder first, "
        "e.g. `musicsage scan ~/Music`\n")


def test_an_m3u8_playlist_is_labelled_m3u8(scanned):
    _, out = scanned
    assert "playlist 'Mix 1' (m3u8): " in out and "(m3u)" not in out


def test_embed_with_nothing_to_do_says_so_in_one_line(capsys, data_dir, scanned):
    code, out, _ = run(capsys, data_dir, "embed", "--model", "spectral")
    assert code == 0 and "embedded 4 of 4 tracks needing it" in out
    code, out, _ = run(capsys, data_dir, "embed")
    assert (code, out) == (0, "nothing to embed: every track with an audio file has a "
                              "spectral vector\n")


def test_a_model_asked_for_by_an_imported_id_is_named_once(capsys, data_dir, scanned):
    """``spectral-dataset`` (imported features) runs as the spectral model: the line said
    "model: spectral … — spectral-dataset: requested"."""
    code, out, _ = run(capsys, data_dir, "embed", "--model", "spectral-dataset")
    first = out.splitlines()[0]
    assert code == 0 and first.startswith("model: spectral [")
    assert first.endswith("— spectral: requested (as spectral-dataset, which no model "
                          "computes from audio files)")


def test_embed_on_a_dataset_library_names_no_model_and_advises_nothing(tmp_path, capsys,
                                                                       data_dir):
    d = tmp_path / "set"
    d.mkdir()
    n = 30
    (d / "tracks.csv").write_text("track_id\n" + "".join(f"t{i}\n" for i in range(n)))
    (d / "memberships.csv").write_text(
        "playlist_id,track_id\n" + "".join(f"p{i % 5},t{i}\n" for i in range(n)))
    np.save(d / "features.npy", np.random.default_rng(0).normal(size=(n, 4)).astype(np.float32))
    assert run(capsys, data_dir, "import", str(d))[0] == 0
    code, out, err = run(capsys, data_dir, "embed")
    assert (code, out) == (0, "nothing to embed: the library's tracks came from a dataset, "
                              "with their vectors, and have no audio files\n")
    assert "openl3" not in err.lower() and "musicnn" not in out


def test_a_stopped_training_says_which_model_stays_current(monkeypatch, capsys, data_dir,
                                                          scanned):
    import musicsage.usecases.training as training

    def stopped(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "train_graph", stopped)
    code, _, err = run(capsys, data_dir, "train")
    assert code == 130
    assert err.endswith("musicsage train: interrupted: no graph model was saved (the library "
                        "has none yet)\n")
    assert training.stopped_training_text(None, 3) == ("model 3 stays current (nothing of "
                                                       "this run was saved)")
    saved = training.SavedModel(4, kept_current=None)
    assert training.stopped_training_text(saved, 4).startswith("the new model 4 was saved")


def test_forget_says_the_folder_comes_back_as_new_tracks(capsys, data_dir, scanned):
    """What the line says is what happens: a re-scan adds the files as new tracks (new ids),
    with no audio vector, so a trained model covers none of them."""
    music, _ = scanned
    assert run(capsys, data_dir, "embed", "--model", "spectral")[0] == 0
    db = data_dir / "library.sqlite3"
    before = {r[0] for r in sqlite3.connect(db).execute("SELECT id FROM tracks")}
    code, out, _ = run(capsys, data_dir, "forget", str(music))
    assert code == 0 and ("(adding the folder back resolves them, but to new tracks: their "
                          "audio is analysed again, and the graph model learns them at its "
                          "next training)") in out
    assert run(capsys, data_dir, "scan", str(music))[0] == 0
    with sqlite3.connect(db) as conn:
        after = {r[0] for r in conn.execute("SELECT id FROM tracks")}
        vectors = conn.execute("SELECT COUNT(*) FROM audio_embeddings").fetchone()[0]
    assert len(after) == 4 and not after & before and vectors == 0
