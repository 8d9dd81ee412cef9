"""A path in ``--json``: ``path`` as a person reads it, ``uri`` naming the file exactly.

A file name that is not UTF-8 (a Latin-1 name from an old disk) was written as the library's
private stand-in (U+10FFxx) by ``similar``/``suggest``/``radio`` and as U+FFFD by
``playlists``: neither named the real file, and the U+FFFD form did not name the track again
as a QUERY. Now every command writes ``path`` (the display form) and ``uri`` (a ``file://``
URI of the raw bytes), and both go back in as a QUERY. ``models``/``members_used`` keep both
spaces' keys (docs/cli.md: "none of these disappears").
"""

from __future__ import annotations

import json
import os
from urllib.parse import unquote_to_bytes

import pytest
from search_helpers import add_playlist, add_track, clustered_vectors, run_cli

from musicsage.library.paths import from_fs

ODD = b"caf\xe9 \xff #1 50%.wav"  # Latin-1 bytes, a raw 0xff, and what a URI must escape
ODD_URI_TAIL = "caf%E9%20%FF%20%231%2050%25.wav"


def _strict(out: str):
    """stdout as one JSON document, as a strict parser (jq) reads it: no NaN, no junk."""
    def refuse(const):
        raise ValueError(const)
    return json.loads(out, parse_constant=refuse)


@pytest.fixture
def odd_lib(library, tmp_path):
    """Eight tracks of real files; track 0's and track 4's names are not UTF-8."""
    folder = os.fsencode(tmp_path / "music")
    os.makedirs(folder)
    names = [ODD if i == 0 else b"bad\xff%d.wav" % i if i == 4 else b"song%d.wav" % i
             for i in range(8)]
    try:
        for name in names:
            with open(os.path.join(folder, name), "wb") as fh:
                fh.write(b"RIFF")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    for i, name in enumerate(names):
        title = f"Bad song {i}" if i in (0, 4) else f"Song {i}"
        library.ids.append(add_track(library.conn, from_fs(os.path.join(folder, name)),
                                     title=title, artist="Artist"))
    library.embed(clustered_vectors(8, clusters=2))
    library.folder = folder
    return library


def _path_fields(track: dict, raw: bytes) -> None:
    """``track`` names the file at ``raw`` (bytes) the way docs/cli.md says."""
    assert "\ufffd" in track["path"] and not any(ord(c) >= 0x10FF00 for c in track["path"])
    assert track["uri"].startswith("file:///") and track["uri"].isascii()
    assert unquote_to_bytes(track["uri"][len("file://"):]) == raw  # exact, where path is not


def test_similar_json_writes_path_and_uri_and_both_name_the_track_again(capsys, ctx, odd_lib):
    first = odd_lib.ids[0]
    rc, out, _err = run_cli(capsys, ctx, "similar", str(first), "-k", "7", "--json")
    assert rc == 0
    data = _strict(out)
    query = data["query"]
    _path_fields(query, os.path.join(odd_lib.folder, ODD))
    assert query["uri"].endswith("/" + ODD_URI_TAIL)
    rows = {r["track_id"]: r for r in data["audio"]}
    _path_fields(rows[odd_lib.ids[4]], os.path.join(odd_lib.folder, b"bad\xff4.wav"))
    assert rows[odd_lib.ids[1]]["uri"].endswith("/song1.wav")
    for again in (query["uri"], query["path"]):  # fed back as QUERY: the same track
        rc, out, err = run_cli(capsys, ctx, "similar", again, "--json")
        assert rc == 0, err
        assert _strict(out)["query"]["track_id"] == first
    rc, out, _err = run_cli(capsys, ctx, "radio", query["uri"], "--length", "3", "--json")
    radio = _strict(out)
    assert rc == 0 and radio["seed"]["track_id"] == first and radio["seed"]["uri"] == query["uri"]
    assert all("uri" in t for t in radio["tracks"])


def test_an_ambiguous_query_lists_candidates_by_path_and_uri(capsys, ctx, odd_lib):
    rc, out, _err = run_cli(capsys, ctx, "similar", "bad song", "--json")
    assert rc == 1
    candidates = _strict(out)["candidates"]
    assert {c["track_id"] for c in candidates} == {odd_lib.ids[0], odd_lib.ids[4]}
    for c in candidates:
        assert "\ufffd" in c["path"] and "%FF" in c["uri"]
        rc, out, err = run_cli(capsys, ctx, "similar", c["uri"], "--json")
        assert rc == 0 and _strict(out)["query"]["track_id"] == c["track_id"], err


def test_playlists_json_writes_path_and_uri_of_its_tracks(capsys, ctx, odd_lib):
    pid = add_playlist(odd_lib.conn, "/p/mix.m3u", "Mix", odd_lib.ids[:3])
    rc, out, _err = run_cli(capsys, ctx, "playlists", str(pid), "--json")
    data = _strict(out)
    assert rc == 0 and data["playlist"]["uri"] == "file:///p/mix.m3u"
    first = data["tracks"][0]
    _path_fields(first, os.path.join(odd_lib.folder, ODD))
    rc, out, _err = run_cli(capsys, ctx, "playlists", "--json")
    assert _strict(out)["playlists"][0]["uri"] == "file:///p/mix.m3u"
    rc, out, err = run_cli(capsys, ctx, "suggest", str(pid), "--add", first["uri"], "--json")
    assert rc == 0 and _strict(out)["skipped"][0]["track_id"] == first["track_id"], err


def test_models_and_members_used_keep_both_keys(capsys, ctx, odd_lib):
    """No graph model: ``graph`` is null, not left out (scripts read ``models.graph``)."""
    rc, out, _err = run_cli(capsys, ctx, "similar", str(odd_lib.ids[1]), "--json")
    assert rc == 0 and _strict(out)["models"] == {"graph": None, "audio": "spectral-test"}
    pid = add_playlist(odd_lib.conn, "/p/mix.m3u", "Mix", odd_lib.ids[:3])
    rc, out, _err = run_cli(capsys, ctx, "suggest", str(pid), "--space", "audio", "--json")
    data = _strict(out)
    assert rc == 0 and data["models"] == {"graph": None, "audio": "spectral-test"}
    assert data["members_used"] == {"graph": None, "audio": 3}
    assert data["playlist"]["uri"] == "file:///p/mix.m3u"
    assert all("uri" in r for r in data["audio"])


def test_scan_json_examples_have_uris(capsys, ctx, tmp_path):
    sf = pytest.importorskip("soundfile")
    import numpy as np

    folder = os.fsencode(tmp_path / "scanned")
    os.makedirs(folder)
    try:
        target = os.path.join(folder, ODD)
        sf.write(target, np.zeros(8000, np.float32), 8000, format="WAV")
    except (OSError, UnicodeError, RuntimeError):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    rc, out, err = run_cli(capsys, ctx, "scan", os.fsdecode(folder), "--json")
    assert rc == 0, err
    data = _strict(out)
    assert data["examples"]["added"] == [os.fsdecode(target).encode(
        "utf-8", "surrogateescape").decode("utf-8", "replace")]
    [uri] = data["example_uris"]["added"]
    assert uri.endswith("/" + ODD_URI_TAIL)
