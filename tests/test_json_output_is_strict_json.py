"""``--json`` output is strict JSON: a number that is not finite is written as null. A library
whose stored training metrics hold an infinite figure (an older musicsage stored them as it
got them) made ``stats --json`` print ``Infinity``, which ``jq``, JavaScript and Go refuse:
a script read nothing at all."""

from __future__ import annotations

import json
import sqlite3

from musicsage.cli import main
from music_support import make_music


def strict_loads(text: str):
    def refuse(constant: str):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_stats_json_of_stored_infinite_metrics_is_strict(tmp_path, capsys):
    music, _playlists, _paths = make_music(tmp_path, n_tracks=4, seconds=0.5)
    data = tmp_path / "lib"
    assert main(["--data-dir", str(data), "scan", str(music)]) == 0
    metrics = '{"graph": {"hr@10": 0.5, "mrr": Infinity}, "audio": {"hr@10": NaN}, "pairs": 6}'
    with sqlite3.connect(data / "library.sqlite3") as conn:  # as an older version stored it
        conn.execute("INSERT INTO graph_models (name, audio_model, dir, metrics, is_current) "
                     "VALUES ('graph-1', 'spectral', ?, ?, 1)", (str(tmp_path / "gone"), metrics))
    capsys.readouterr()

    assert main(["--data-dir", str(data), "stats", "--json"]) == 0

    shown = strict_loads(capsys.readouterr().out)["graph_model"]["metrics"]
    assert shown["graph"] == {"hr@10": 0.5, "mrr": None} and shown["audio"] == {"hr@10": None}


def test_json_lines_are_strict_too(capsys):
    from musicsage.commands.output import print_json, print_json_line

    print_json_line({"seconds": float("inf"), "scores": [1.0, float("nan")]})
    print_json((float("-inf"), {"a": 2}))

    line, rest = capsys.readouterr().out.split("\n", 1)
    assert strict_loads(line) == {"seconds": None, "scores": [1.0, None]}
    assert strict_loads(rest) == [None, {"a": 2}]


def test_numpy_numbers_are_strict_numbers(capsys):
    """numpy values went through ``default=str``: ``np.float32('nan')`` came out as "nan"."""
    import numpy as np

    from musicsage.commands.output import print_json

    print_json({"score": np.float32("nan"), "rank": np.int64(3), "p": np.float32(0.5),
                "v": np.array([1.0, np.inf])})

    assert strict_loads(capsys.readouterr().out) == {"score": None, "rank": 3, "p": 0.5,
                                                     "v": [1.0, None]}


def test_long_doubles_and_numpy_keys_are_strict_too(capsys):
    """``np.longdouble('inf')`` stays numpy through ``tolist`` and came out as the string
    "inf"; a dict keyed by numpy numbers made ``json.dump`` raise TypeError: a crash (exit 70)
    after the work was done."""
    import numpy as np

    from musicsage.commands.output import print_json, print_json_line

    print_json_line({"seconds": np.longdouble("inf"), "v": np.array([np.longdouble(0.5)])})
    print_json({np.int64(3): "three", np.float32(0.5): "half", np.str_("k"): np.longdouble(2)})

    line, rest = capsys.readouterr().out.split("\n", 1)
    assert strict_loads(line) == {"seconds": None, "v": [0.5]}
    assert strict_loads(rest) == {"3": "three", "0.5": "half", "k": 2.0}


def test_keys_that_are_not_finite_keep_their_entries(capsys):
    """A NaN key and an infinite one both became null, and one entry was silently dropped
    (``{nan: 1, inf: 2}`` printed ``{"null": 2}``): they are named as ``json`` names them."""
    import numpy as np

    from musicsage.commands.output import print_json

    print_json({np.float64("nan"): 1, float("inf"): 2, np.float32("-inf"): 3, None: 4})

    assert strict_loads(capsys.readouterr().out) == {"NaN": 1, "Infinity": 2, "-Infinity": 3,
                                                     "null": 4}


def test_a_tuple_key_is_left_to_json():
    """A tuple key was turned into a list first, and failed as "unhashable type: list"."""
    import pytest

    from musicsage.commands.output import print_json

    with pytest.raises(TypeError, match="keys must be"):
        print_json({(1, 2): "pair"})
