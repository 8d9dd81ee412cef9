"""A file name that is not UTF-8 in ``radio``/``suggest --json`` (whatever stdout's encoding)
and through ``export`` then ``import``: no crash, JSON that parses, the file named exactly by
its ``uri`` (docs/cli.md, "Paths in JSON"), and an import that finds the file
it names — it said "1 row of tracks.csv names no file (… '\\U0010ffff' …): listed as missing"
of a file that was there, and stored it as present."""

from __future__ import annotations

import csv
import json
import os
from urllib.parse import unquote_to_bytes

from robust_support import assert_clean_success, child_env, cli, tone_file

from musicsage.library import paths as P

ODD = b"na\xefve \xff.wav"


def test_a_non_utf8_name_in_json_and_through_export_and_import(tmp_path):
    music, data = os.fsencode(tmp_path / "music"), tmp_path / "data"
    for i, name in enumerate([ODD, b"one.wav", b"two.wav", b"three.wav"]):
        tone_file(music + b"/" + name, seconds=2.0, freq=220 + 110 * i)
    with open(music + b"/mix.m3u", "wb") as fh:
        fh.write(ODD + b"\none.wav\n")
    assert_clean_success(cli("scan", music, "--playlists", music, data_dir=data))
    assert_clean_success(cli("embed", "--model", "spectral", data_dir=data))
    m3u = os.fsencode(tmp_path) + b"/out \xff.m3u8"
    for encoding in ("utf-8", "latin-1", "ascii"):
        env = {**child_env(), "PYTHONIOENCODING": encoding}
        radio = cli("radio", music + b"/" + ODD, "--json", "--m3u", m3u, data_dir=data, env=env)
        assert_clean_success(radio)
        seed = json.loads(radio.stdout)["seed"]["uri"]
        assert unquote_to_bytes(seed.removeprefix("file://")) == music + b"/" + ODD
        suggest = cli("suggest", "mix", "--json", data_dir=data, env=env)
        assert_clean_success(suggest)
        assert json.loads(suggest.stdout)["playlist"]["tracks"] == 2

    out = tmp_path / "dataset"
    assert_clean_success(cli("export", str(out), data_dir=data))
    with open(out / "tracks.csv", encoding="utf-8", newline="") as fh:
        paths = {P.to_fs_bytes(row["path"]) for row in csv.DictReader(fh)}
    assert music + b"/" + ODD in paths
    back = cli("import", str(out), "--json", data_dir=tmp_path / "other")
    assert_clean_success(back)
    assert json.loads(back.stdout)["notes"] == [], back.stdout
