"""The scale benches write and delete folders: ``scale_data.py DIR`` a generated dataset dir,
``library_scale.py`` a data dir and a music folder under ``--work``. Given a user's own folder
they overwrote its tracks.csv and memberships.csv, or deleted it whole. Now only a missing or
empty folder, or one the script made (its marker inside), is written or deleted; any other is
refused in one line and left as it was."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))


def _users_dataset(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True)
    files = {"tracks.csv": "track_id,title\nmine,My Song\n",
             "memberships.csv": "playlist_id,track_id\nfavourites,mine\n"}
    for name, text in files.items():
        (folder / name).write_text(text)
    return files


def _unchanged(folder: Path, files: dict[str, str]) -> bool:
    return {p.name: p.read_text() for p in folder.iterdir()} == files


def test_scale_data_refuses_a_users_dataset_dir_and_keeps_it(tmp_path):
    from scale_data import generate

    mine = tmp_path / "my-dataset"
    files = _users_dataset(mine)
    with pytest.raises(SystemExit) as exc:
        generate(mine, 40, dim=4)
    assert exc.value.code == (f"{mine} holds another dataset dir (or other files); give an "
                              "empty folder")
    assert _unchanged(mine, files)


def test_scale_data_writes_an_empty_folder_and_then_reuses_or_rewrites_its_own(tmp_path):
    from scale_data import MARKER, generate

    out = tmp_path / "gen"
    out.mkdir()
    first = generate(out, 40, dim=4)
    assert first["tracks"] == 40 and (out / "tracks.csv").is_file()
    assert generate(out, 40, dim=4) == first  # reused
    assert generate(out, 60, dim=4)["tracks"] == 60  # its own folder: made again
    assert json.loads((out / MARKER).read_text())["tracks"] == 60


def test_library_scale_deletes_only_a_data_dir_it_made(tmp_path):
    from library_scale import DATA_MARKER, fresh_data_dir

    mine = tmp_path / "work" / "data-features-100"
    files = _users_dataset(mine)
    with pytest.raises(SystemExit) as exc:
        fresh_data_dir(mine, keep=False)
    assert exc.value.code == (f"{mine} has no bench/library_scale.py marker (an older run's, or "
                              "not ours), so it is left alone: delete it if you are sure it is "
                              "an old run's, or give --work another folder")
    assert _unchanged(mine, files)

    ours = tmp_path / "work" / "data-files-100"
    fresh_data_dir(ours, keep=False)
    (ours / "library.sqlite3").write_text("an earlier run's library")
    fresh_data_dir(ours, keep=True)
    assert (ours / "library.sqlite3").is_file()  # --keep-data reuses it
    fresh_data_dir(ours, keep=False)
    assert [p.name for p in ours.iterdir()] == [DATA_MARKER]  # started empty


def test_library_scale_never_deletes_a_music_folder_it_did_not_make(tmp_path, monkeypatch):
    import library_scale
    import scan

    monkeypatch.setattr(scan, "generate", lambda root, n: pytest.fail("generated"))
    mine = tmp_path / "work" / "files100"
    files = _users_dataset(mine)
    with pytest.raises(SystemExit) as exc:
        library_scale.short_files(mine, 100)
    assert str(exc.value.code).startswith(f"{mine} has no bench/library_scale.py marker")
    assert _unchanged(mine, files)


def test_a_data_dir_marker_without_made_by_keeps_the_users_files(tmp_path):
    """A data dir holding a marker file of that name without the script's ``made_by`` (an
    older run's, or not the script's at all) beside a user's file was deleted whole: it is
    refused in one line and kept."""
    from library_scale import DATA_MARKER, fresh_data_dir

    mine = tmp_path / "work" / "data-files-100"
    mine.mkdir(parents=True)
    files = {DATA_MARKER: json.dumps({}), "my-notes.txt": "mine"}
    for name, text in files.items():
        (mine / name).write_text(text)
    with pytest.raises(SystemExit) as exc:
        fresh_data_dir(mine, keep=False)
    assert exc.value.code == (f"{mine} has no bench/library_scale.py marker (an older run's, or "
                              "not ours), so it is left alone: delete it if you are sure it is "
                              "an old run's, or give --work another folder")
    assert _unchanged(mine, files)


@pytest.mark.parametrize("marker_text", ['{"not": "ours"}', "my notes, not JSON", "[1, 2]",
                                         '{"tracks": 5}'])
def test_a_files_json_that_is_not_the_scripts_marker_keeps_the_folder(tmp_path, monkeypatch,
                                                                    marker_text):
    """A WORK/filesN holding a files.json of its own (a user's, or one that cannot be read)
    was deleted whole to make N files there: only a marker with the script's ``made_by``
    is ours (a user's own with a ``tracks`` key is not)."""
    import library_scale
    import scan

    monkeypatch.setattr(scan, "generate", lambda root, n: pytest.fail("generated"))
    mine = tmp_path / "work" / "files100"
    mine.mkdir(parents=True)
    files = {"files.json": marker_text, "mine.txt": "my own notes"}
    for name, text in files.items():
        (mine / name).write_text(text)
    with pytest.raises(SystemExit) as exc:
        library_scale.short_files(mine, 100)
    assert str(exc.value.code).startswith(f"{mine} has no bench/library_scale.py marker")
    assert _unchanged(mine, files)


def test_library_scale_remakes_its_own_files_for_another_count(tmp_path, monkeypatch):
    import library_scale
    import scan

    made = []
    monkeypatch.setattr(scan, "generate", lambda root, n: made.append(n) or {"mp3": n})
    root = tmp_path / "work" / "files100"
    assert library_scale.short_files(root, 100) == {"tracks": 100, "formats": {"mp3": 100}}
    marker = json.loads((root / "files.json").read_text())
    assert marker["made_by"] == "bench/library_scale.py"
    (root / "left-by-the-run.txt").write_text("ours")
    assert library_scale.short_files(root, 100) == {"tracks": 100, "formats": {"mp3": 100}}
    library_scale.short_files(root, 50)  # its own folder: deleted and made again
    assert made == [100, 50] and not (root / "left-by-the-run.txt").exists()


def test_keep_data_with_a_file_in_the_data_dirs_place_is_refused_in_one_line(tmp_path):
    from library_scale import fresh_data_dir

    a_file = tmp_path / "work" / "data-files-100"
    a_file.parent.mkdir()
    a_file.write_text("mine")
    for keep in (True, False):
        with pytest.raises(SystemExit) as exc:
            fresh_data_dir(a_file, keep=keep)
        assert str(exc.value.code).startswith(f"{a_file} has no bench/library_scale.py marker")
    assert a_file.read_text() == "mine"


def test_a_generated_dataset_folder_under_work_names_work_in_its_refusal(tmp_path):
    """``library_scale``, ``umap_scale`` and ``map_placement`` name WORK/featN themselves:
    "give an empty folder" asked for a folder the user never gave."""
    import umap_scale
    from scale_data import generate

    old_run = tmp_path / "work" / "feat40"
    files = _users_dataset(old_run)
    for run in (lambda: generate(old_run, 40, dim=4, option="--work"),
                lambda: umap_scale.space_matrix(40, old_run.parent)):
        with pytest.raises(SystemExit) as exc:
            run()
        assert exc.value.code == (f"{old_run} has no bench/scale_data.py marker (an older "
                                  "run's, or not ours), so it is left alone: delete it if you are "
                                  "sure it is an old run's, or give --work another folder")
    assert _unchanged(old_run, files)
