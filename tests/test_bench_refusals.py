"""The bench scripts refuse what would lose a user's data or run nothing, in one line, before
they write anything: converters never write over another dataset dir, results files keep the
settings run before, unknown names exit 2 naming the choices, a cut-off runs line is skipped."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

SPOTIFY_HEADER = ("track_id,track_name,track_artist,track_album_id,playlist_name,playlist_id,"
                  "danceability,energy,key,loudness,mode,speechiness,acousticness,"
                  "instrumentalness,liveness,valence,tempo,duration_ms")


def _spotify_csv(path: Path, playlists: int) -> Path:
    """A tiny spotify_songs.csv: 4 tracks in ``playlists`` playlists."""
    rows = [f"t{t},song {t},artist,al{t},list {p},p{p}," + ",".join(["0.5"] * 12)
            for p in range(playlists) for t in range(4)]
    path.write_text("\n".join([SPOTIFY_HEADER, *rows]) + "\n")
    return path


def _user_dataset(d: Path) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title\n1,my song\n")
    (d / "memberships.csv").write_text("playlist_id,track_id\nmine,1\n")
    return d


def test_converters_refuse_a_folder_holding_another_dataset(tmp_path, capsys):
    import cora
    import datasets
    import movielens

    mine = _user_dataset(tmp_path / "mine")
    csv = _spotify_csv(tmp_path / "songs.csv", 2)
    for convert in (lambda: datasets.main(["--csv", str(csv), "--out", str(mine)]),
                    lambda: cora.convert(tmp_path / "raw", "cora", mine),
                    lambda: movielens.convert_movielens(tmp_path / "raw", mine)):
        with pytest.raises(SystemExit) as exc:
            convert()
        assert str(exc.value) == f"{mine} holds another dataset dir (or other files); give an empty folder"
    assert (mine / "tracks.csv").read_text() == "track_id,title\n1,my song\n"
    assert sorted(p.name for p in mine.iterdir()) == ["memberships.csv", "tracks.csv"]


def test_spotify_csv_is_converted_again_when_it_changes(tmp_path):
    import datasets

    out = tmp_path / "empty"
    out.mkdir()
    datasets.main(["--csv", str(_spotify_csv(tmp_path / "a.csv", 1)), "--out", str(out)])
    assert len((out / "memberships.csv").read_text().splitlines()) == 1 + 4
    datasets.main(["--csv", str(_spotify_csv(tmp_path / "b.csv", 3)), "--out", str(out)])
    assert len((out / "memberships.csv").read_text().splitlines()) == 1 + 12
    with pytest.raises(SystemExit) as exc:
        datasets.main(["--csv", str(tmp_path / "missing.csv"), "--out", str(out)])
    assert str(exc.value).startswith(f"{tmp_path / 'missing.csv'} is absent")
    assert len((out / "memberships.csv").read_text().splitlines()) == 1 + 12


def test_missing_data_names_the_converter_command(tmp_path, monkeypatch):
    import cora
    import datasets

    monkeypatch.setattr(datasets, "SPOTIFY_CSV", tmp_path / "nowhere.csv")
    with pytest.raises(SystemExit) as exc:
        datasets.spotify_songs_dir(tmp_path / "out")
    assert "convert it first: .venv/bin/python bench/datasets.py --csv FILE" in str(exc.value)
    with pytest.raises(SystemExit) as exc:
        cora.cora_dir(tmp_path / "cora", raw=tmp_path / "noraw")
    assert "convert them first: .venv/bin/python bench/cora.py" in str(exc.value)
    assert not (tmp_path / "out").exists() and not (tmp_path / "cora").exists()


def test_graph_bench_keeps_the_settings_of_earlier_runs(tmp_path, monkeypatch):
    import graph_bench

    monkeypatch.setattr(graph_bench, "run_setting", lambda setting, *a: {"audio": {"s": setting}})
    monkeypatch.setattr(graph_bench, "table", lambda block: [])
    monkeypatch.setattr(graph_bench, "checks", lambda setting, block: [])
    out = tmp_path / "bench.json"
    graph_bench.main(["--settings", "cora", "--methods", "audio", "--out", str(out)])
    graph_bench.main(["--settings", "spotify", "--methods", "audio", "--out", str(out)])
    settings = json.loads(out.read_text())["settings"]
    assert sorted(settings) == ["cora", "spotify"]
    assert settings["cora"]["methods"] == {"audio": {"s": "cora"}}
    assert [p.name for p in tmp_path.iterdir()] == ["bench.json"]  # no temp file left


@pytest.mark.parametrize("script, argv, says", [
    ("graph_ablations", ["--only", "nosuch"], "unknown variant nosuch: choose from defaults"),
    ("graph_ablations", ["--seeds", "a"], "is not a comma list of whole numbers"),
    ("graph_bench", ["--settings", "nosuch"], "unknown setting nosuch: choose from spotify"),
    ("graph_bench", ["--methods", "nosuch"], "unknown method nosuch: choose from audio"),
    ("graph_tune", ["--variants", "defaults"], "unknown variant defaults: choose from default"),
    ("graph_tune", ["--mode", "all"], "--mode all is for --table"),
    ("graph_bench", ["--threads", "0"], "'0' is not a number of threads"),
    ("graph_ablations", ["--threads", "0"], "'0' is not a number of threads"),
    ("graph_tune", ["--threads", "two"], "'two' is not a number of threads"),
    ("demo_eval", ["somewhere", "--threads", "0"], "'0' is not a number of threads"),
    ("suggest_bench", ["--threads", "0"], "'0' is not a number of threads"),
    ("suggest_bench", ["--seeds", "a"], "is not a comma list of whole numbers"),
    ("suggest_bench", ["--datasets", "nosuch"], "unknown data set nosuch: choose from demo"),
])
def test_unknown_names_are_refused_before_anything_runs(script, argv, says, tmp_path, capsys,
                                                        monkeypatch):
    module = __import__(script)
    monkeypatch.setattr(module, "load_setting", lambda s: pytest.fail("ran"), raising=False)
    out = ["--out", str(tmp_path / "x.json")] if script not in ("graph_tune", "demo_eval") else []
    with pytest.raises(SystemExit) as exc:
        module.main(argv + out)
    assert exc.value.code == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_graph_tune_table_takes_mode_all(monkeypatch, capsys):
    import graph_tune

    monkeypatch.setattr(graph_tune, "read_runs", lambda: [])
    graph_tune.main(["--table", "--mode", "all"])
    graph_tune.main(["--table"])


def test_a_cut_off_runs_line_is_skipped_with_one_warning(tmp_path, monkeypatch, capsys):
    import graph_common

    runs = tmp_path / "runs.jsonl"
    whole = json.dumps({"setting": "cora", "seed": 1})
    runs.write_text(whole + "\n" + whole[:10])
    monkeypatch.setattr(graph_common, "RUNS", runs)
    monkeypatch.setattr(graph_common, "machine_build", lambda: {})
    graph_common.record("cora", "audio", "test", 2, {})
    assert [r["seed"] for r in graph_common.read_runs(runs)] == [1, 2]
    graph_common.read_runs(runs)
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {runs} line 2 is not a whole run (cut off?); skipped"]


@pytest.mark.parametrize("script", ["suggest_bench", "demo_eval"])
def test_no_built_demo_is_refused_and_nothing_is_created(script, tmp_path):
    module = __import__(script)
    typo = tmp_path / "typo dir"
    argv = ["--datasets", "demo", "--demo-dir", str(typo)] if script == "suggest_bench" \
        else [str(typo)]
    with pytest.raises(SystemExit) as exc:
        module.main(argv)
    assert str(exc.value).startswith(f"{typo} holds no built demo: run musicsage demo first")
    assert list(tmp_path.iterdir()) == []
