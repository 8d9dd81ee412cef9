"""``export DIR`` killed (SIGKILL) over an earlier export in DIR, then read and run again.

The export wrote its files one by one over the earlier ones: killed between two, it left the
new features.npy beside the old tracks.csv (and new memberships beside old playlist names).
It stages them now and swaps them in as a set: killed while writing, DIR holds the earlier
export whole; killed in the swap, DIR holds no tracks.csv, and ``import`` and ``train
--dataset`` refuse it in one line saying the export was interrupted — never read a mix."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from musicsage import cli
from musicsage.context import AppContext
from musicsage.library import queries as q
from musicsage.library.db import connect
from musicsage.usecases.library import export_dataset, import_dataset

FILES = ("features.json", "features.npy", "memberships.csv", "playlists.csv", "tracks.csv")


@pytest.fixture
def library(ctx, tmp_path) -> AppContext:
    """Five tracks without audio files, their vectors, two named playlists."""
    d = tmp_path / "src"
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n" + "".join(f"t{i},T{i}\n" for i in range(5)))
    (d / "memberships.csv").write_text("playlist_id,track_id\np,t0\np,t1\nr,t2\nr,t3\n")
    (d / "playlists.csv").write_text("playlist_id,name\np,Road\nr,Late\n")
    np.save(d / "features.npy", np.arange(20, dtype=np.float32).reshape(5, 4))
    import_dataset(ctx, d)
    return ctx


def _digests(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in FILES
            if (folder / n).is_file()}


def _change(ctx: AppContext) -> None:
    """The library after the first export: one more vector, so the next export differs in
    every file but playlists.csv (and in its row count)."""
    conn = connect(ctx)
    conn.execute("INSERT INTO tracks(id, path, title, status, needs_analysis)"
                 " VALUES (99, 'dataset:/elsewhere#x', 'New', 'present', 0)")
    q.store_embedding(conn, 99, "spectral-dataset", "dataset", np.full(4, 7.0))
    conn.execute("DELETE FROM playlist_entries WHERE position = 0")
    conn.commit()


def _killed_export(ctx: AppContext, out: Path, trap: str) -> None:
    """Export ``ctx`` into ``out`` in a fresh interpreter that ``trap`` (code run before the
    export, given ``die``, ``out`` and ``Path``) ends by SIGKILL: no ``finally`` runs."""
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        def die(*_a, **_k):
            os.kill(os.getpid(), signal.SIGKILL)
        out = Path({str(out)!r})
    """) + textwrap.dedent(trap) + textwrap.dedent(f"""
        from musicsage.context import AppContext
        from musicsage.usecases.library import export_dataset
        export_dataset(AppContext.create({str(ctx.data_dir)!r}), out)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == -9, done.stderr


def _stages(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".musicsage-stage-")]


def test_an_export_killed_while_writing_leaves_the_earlier_one_whole(library, tmp_path):
    out = tmp_path / "out"
    export_dataset(library, out)
    first = _digests(out)
    _change(library)
    _killed_export(library, out, """
        import musicsage.library.dataset as dataset
        real = dataset._write_csv
        def write(path, header, rows):  # features and memberships are written by then
            die() if path.name == "tracks.csv" else real(path, header, rows)
        dataset._write_csv = write
    """)
    assert _digests(out) == first, "a killed export mixed its files with the earlier one's"
    assert len(_stages(out)) == 1
    fresh = AppContext.create(tmp_path / "fresh")
    rep = import_dataset(fresh, out)  # the earlier export, as it was
    assert (rep.tracks, rep.features, rep.playlists) == (5, (5, 4), 2)

    rep = export_dataset(library, out)  # the next run removes the dead one's stage
    assert rep.features == (6, 4)
    assert sorted(p.name for p in out.iterdir()) == [".musicsage-output", *FILES]
    assert _digests(out)["features.npy"] != first["features.npy"]
    assert import_dataset(AppContext.create(tmp_path / "again"), out).tracks == 6


@pytest.mark.parametrize("dying_at", ["features.npy", "memberships.csv", "tracks.csv"])
def test_an_export_killed_in_its_swap_is_refused_by_import_and_train(library, tmp_path,
                                                                       capsys, dying_at):
    out = tmp_path / "out"
    export_dataset(library, out)
    _change(library)
    _killed_export(library, out, f"""
        real = os.replace
        def replace(src, dst):  # the rename of {dying_at!r} from the stage into out
            die() if Path(dst) == out / {dying_at!r} else real(src, dst)
        os.replace = replace
    """)
    assert not (out / "tracks.csv").exists() and len(_stages(out)) == 1
    said = f"{out} is not a dataset dir"
    fresh = tmp_path / "fresh"
    assert cli.main(["--data-dir", str(fresh), "import", str(out)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage import: {said} (no tracks.csv): an export into it was interrupted; "
        "export again"]
    assert cli.main(["--data-dir", str(fresh), "train", "--dataset", str(out),
                     "--out", str(tmp_path / "model")]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"musicsage train: {said} (no tracks.csv): an export into it was interrupted; "
        "export again"]

    export_dataset(library, out)  # exporting again mends it
    assert sorted(p.name for p in out.iterdir()) == [".musicsage-output", *FILES]
    assert import_dataset(AppContext.create(tmp_path / "again"), out).tracks == 6


def test_an_export_without_vectors_killed_in_its_swap_leaves_no_old_features(library,
                                                                             tmp_path):
    """An export of a library without vectors writes no features.npy; the earlier export's
    must not be read beside its tracks.csv (nor, killed, beside the earlier tracks.csv)."""
    out = tmp_path / "out"
    export_dataset(library, out)
    conn = connect(library)
    conn.execute("DELETE FROM audio_embeddings")
    conn.commit()
    _killed_export(library, out, """
        real = os.replace
        def replace(src, dst):
            die() if Path(dst) == out / "tracks.csv" else real(src, dst)
        os.replace = replace
    """)
    assert not (out / "tracks.csv").exists()
    assert not (out / "features.npy").exists() and not (out / "features.json").exists()
    export_dataset(library, out)
    assert sorted(p.name for p in out.iterdir()) == [
        ".musicsage-output", "memberships.csv", "playlists.csv", "tracks.csv"]


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError])
def test_an_export_stopped_in_its_swap_keeps_the_new_set_for_the_next_run(library, tmp_path,
                                                                        monkeypatch, capsys,
                                                                        stop):
    """Ctrl-C (or SIGTERM: the CLI raises both as KeyboardInterrupt) or an error after the
    earlier tracks.csv went: the new export, staged whole, is not deleted, and the folder
    says it was interrupted until the next export."""
    out = tmp_path / "out"
    export_dataset(library, out)
    _change(library)
    real = os.replace

    def replace(src, dst):
        if Path(dst) == out / "tracks.csv":
            raise stop()
        real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(stop):
        export_dataset(library, out)
    monkeypatch.setattr(os, "replace", real)
    [stage] = _stages(out)
    assert (out / stage / "tracks.csv").is_file() and not (out / "tracks.csv").exists()
    assert cli.main(["--data-dir", str(tmp_path / "fresh"), "import", str(out)]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "an export into it was interrupted; export again")
    export_dataset(library, out)
    assert sorted(p.name for p in out.iterdir()) == [".musicsage-output", *FILES]
    assert import_dataset(AppContext.create(tmp_path / "again"), out).tracks == 6
