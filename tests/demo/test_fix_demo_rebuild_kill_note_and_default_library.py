"""A rebuild killed after the old demo's files went (some moved aside) is run again, not refused;
the moved-aside note says "the new demo writes its own" only of names the new demo writes; the
old manifest's hashes are read once, not once a file; and a default library that already holds
a demo (built there by an earlier version) says so when the demo is built there again."""

from __future__ import annotations

import json

import pytest

import musicsage.demo.aside as aside
import musicsage.demo.library as lib
from musicsage.cli import main
from musicsage.context import default_data_dir
from musicsage.demo.library import MANIFEST, PLAYLIST_DIR, generate_demo, plan_demo
from musicsage.demo.manifest import remove_listed_files
from musicsage.usecases.demo import demo_data_dir

SMALL = dict(n_tracks=8, seconds=1.0, workers=1)


def test_a_rebuild_killed_after_the_old_files_went_runs_again(tmp_path, monkeypatch):
    music = tmp_path / "music"
    generate_demo(music, seed=0, **SMALL)
    old = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    playlist = music / next(f for f in old if f.startswith(PLAYLIST_DIR + "/"))
    playlist.write_text("#EXTM3U\n# my own list\n", encoding="utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the kill: the old demo's files gone, the new manifest unwritten

    monkeypatch.setattr(lib, "at_planned_names", killed)
    with pytest.raises(KeyboardInterrupt):
        generate_demo(music, seed=1, **SMALL)
    kept = playlist.with_name(playlist.name + ".yours")
    assert kept.read_text(encoding="utf-8") == "#EXTM3U\n# my own list\n"
    monkeypatch.undo()

    report = generate_demo(music, seed=1, **SMALL)  # was: "not empty and holds no musicsage demo"

    assert report.rendered == 8
    assert kept.read_text(encoding="utf-8") == "#EXTM3U\n# my own list\n"


def test_the_note_says_the_new_demo_writes_its_own_only_where_it_does(tmp_path):
    music = tmp_path / "music"
    generate_demo(music, seed=0, **SMALL)
    old = json.loads((music / MANIFEST).read_text(encoding="utf-8"))["files"]
    new_plan = plan_demo(8, seed=1, seconds=1.0)
    new = {t.relpath for t in new_plan.tracks} | {p.relpath for p in new_plan.playlists}
    mine = music / next(f for f in old if f not in new)
    mine.write_bytes(b"my own bytes")

    report = generate_demo(music, seed=1, **SMALL)
    notes = aside.kept_notes(music, report.kept, new_plan)

    assert len(notes) == 1 and str(mine.name) + ".yours" in notes[0]
    assert "writes its own" not in notes[0], "the new demo writes nothing at that name"
    at_new = aside.kept_notes(music, [music / (sorted(new)[0] + ".yours")], new_plan)
    assert at_new[0].endswith("the new demo writes its own")


def test_the_old_manifests_hashes_are_read_once(tmp_path, monkeypatch):
    music = tmp_path / "music"
    generate_demo(music, seed=0, **SMALL)
    manifest = json.loads((music / MANIFEST).read_text(encoding="utf-8"))
    calls = []
    real = aside.written_hashes
    monkeypatch.setattr(aside, "written_hashes", lambda m: calls.append(1) or real(m))

    assert remove_listed_files(music, manifest) == len(manifest["files"])
    assert len(calls) == 1, "read once a file: quadratic, 74 s for 20,000 files"


def test_a_demo_already_in_the_default_library_says_it_is_part_of_it(capsys):
    assert main(["--data-dir", str(default_data_dir()), "demo", "--tracks", "8",
                 "--seconds", "1", "--until", "generate"]) == 0
    capsys.readouterr()

    assert main(["demo", "--until", "generate"]) == 0

    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1, err
    assert str(default_data_dir()) in notes[0] and "part of that library" in notes[0]
    assert f"musicsage --data-dir {demo_data_dir()} demo" in notes[0]
    assert main(["--data-dir", str(default_data_dir()), "demo", "--until", "generate"]) == 0
    assert "note: " not in capsys.readouterr().err, "not said where --data-dir names it"
