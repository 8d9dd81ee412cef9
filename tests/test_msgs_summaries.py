"""Text summaries a new user read as noise or could not act on: ``eval``'s notes repeated per
seed and its pair counts that are means, ``demo``'s stage internals, empty progress bars and
a closing command that worked only inside the checkout, and ``scan --watch``'s "2 folders"
where the library has one music folder."""

from __future__ import annotations

import io
import shlex
import subprocess
import sys
from types import SimpleNamespace

from musicsage.commands import graph as commands
from musicsage.library.watch_apply import WatchPlan
from musicsage.progress import Progress
from musicsage.usecases.watch import watched_folders_text


def _eval_out(seeds: int, notes: list[str]) -> dict:
    block = {"graph": {"hr@10": 0.5}, "audio": {"hr@10": 0.25}, "pairs": 4.3}
    return {"seeds": seeds, "std": {"graph": {"hr@10": 0.1, "mrr": 0.1},
                                    "audio": {"hr@10": 0.1, "mrr": 0.1}},
            "graph": {"hr@10": 0.5, "mrr": 0.2}, "audio": {"hr@10": 0.25, "mrr": 0.1},
            "pairs": 4.333, "cold_start": {"pairs": 0.667}, "warm": block, "notes": notes}


def test_eval_says_each_note_once_naming_its_seeds():
    trivial = "hr@50, hr@100: 1 for any model, since with 24 tracks every rank is at most 23"
    notes = ["no track has an album or an artist: the model trained without those contexts"]
    for seed, pairs in enumerate((5, 4, 4)):
        notes += [f"seed {seed}: only {pairs} evaluation pairs: too few for these figures to "
                  f"mean much (one pair moves HR@K by {1 / pairs:.3f})",
                  f"seed {seed}: {trivial}"]
    notes.append("seed 1: no evaluation pair: every metric is null")
    out = io.StringIO()
    commands._print_eval_summary(_eval_out(3, notes), file=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("mean of 3 seeds (± the standard deviation over them; pairs: per seed, "
                        "on average):")
    assert lines[-4:] == [
        f"  note: {notes[0]}",
        "  note: seeds 0, 1 and 2: only 4–5 evaluation pairs: too few for these figures to "
        "mean much (one pair moves HR@K by 0.200–0.250)",
        f"  note: seeds 0, 1 and 2: {trivial}",
        "  note: seed 1: no evaluation pair: every metric is null"]


def test_train_summary_keeps_its_notes_as_they_are():
    out = io.StringIO()
    commands._print_eval_summary({**_eval_out(1, ["only 5 evaluation pairs: too few"]),
                                  "seeds": None}, file=out)
    assert "mean of" not in out.getvalue()
    assert out.getvalue().endswith("  note: only 5 evaluation pairs: too few\n")


def test_demo_prints_what_a_user_needs_and_a_command_that_works_anywhere(monkeypatch, capsys,
                                                                        tmp_path):
    import musicsage.usecases.demo as demo

    embed = {"model_id": "musicnn-msd-max_pool", "model_version": "port1;MSD_musicnn;x",
             "embedded": 8, "failed": 0, "reason": "musicnn: requested", "seconds": 1.5}
    rep = SimpleNamespace(reused=False, complete=True, n_tracks=8, n_playlists=6,
                          music_dir=tmp_path / "m", data_dir=tmp_path / "my lib",
                          stages={"embed": embed}, skipped={}, total_seconds=1.5, notes=[])
    monkeypatch.setattr(demo, "build_demo", lambda *a, **k: rep)
    args = SimpleNamespace(json=False, tracks=8, seed=0, dir=None, seconds=None, until=None,
                           data_dir=str(rep.data_dir))
    from musicsage.commands import demo as demo_command  # where _demo lives now

    monkeypatch.setattr(demo_command, "require_writable", lambda ctx: None)
    assert commands._demo(args, None) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  embed         1.5 s  model_id musicnn-msd-max_pool, embedded 8, failed 0" in out
    assert out[-1].startswith("open it: ")
    command = shlex.split(out[-1][len("open it: "):])
    assert command[0] == sys.executable and command[-2:] == ["--data-dir", str(rep.data_dir)]
    done = subprocess.run([*command[:-2], "--help"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)  # from another folder than the checkout
    assert done.returncode == 0 and "--data-dir" in done.stdout


def test_demo_draws_no_bar_for_a_stage_before_it_counts():
    seen = []
    progress = commands._counted_stages_only(seen.append)
    for p in [Progress("map", 0, None, "Placing"), Progress("scan", 0, None, "Scanning"),
              Progress("scan", 0, 8, "Scanning"), Progress("scan", 1, None, "a.flac")]:
        progress(p)
    assert [(p.stage, p.done, p.total) for p in seen] == [("scan", 0, 8), ("scan", 1, None)]
    assert commands._counted_stages_only(None) is None


def test_the_watch_names_what_kind_of_folders_it_watches(tmp_path):
    music, playlists, player = (tmp_path / n for n in ("music", "playlists", "player"))
    for folder in (music, playlists, player):
        folder.mkdir()
    plan = WatchPlan(roots=[str(music)], playlist_dirs={str(playlists)})
    assert watched_folders_text(plan) == "1 music folder and 1 playlist folder"
    plan.player_sources.add(str(player / "Library.xml"))
    assert watched_folders_text(plan) == ("1 music folder, 1 playlist folder and 1 folder of a "
                                          "player's library file")
    inside = WatchPlan(roots=[str(music)], playlist_dirs={str(music / "x")})
    assert watched_folders_text(inside) == "1 music folder"  # covered by the music folder
