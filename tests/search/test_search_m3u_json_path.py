"""``similar``/``suggest``/``radio --m3u FILE --json``: the ``m3u`` object's ``path`` is the
playlist's name as a person reads it (docs/cli.md, "Paths in JSON"), a byte that is not
UTF-8 shown as U+FFFD. It was FILE as typed, so such a byte went out as a lone surrogate
(``"\\udce9"``), which strict JSON readers refuse and no UTF-8 text can hold."""

from __future__ import annotations

import json
import os

import pytest
from search_helpers import add_playlist, add_track, clustered_vectors, run_cli

COMMANDS = [["similar", "1", "-k", "3", "--space", "audio"],
            ["radio", "1", "--length", "3"],
            ["suggest", "Set", "-k", "3", "--space", "audio"]]


@pytest.fixture
def embedded(library):
    for i in range(8):
        path = str(library.root / f"song{i:02d}.wav")
        library.ids.append(add_track(library.conn, path, title=f"Song {i:02d}", artist="A"))
    library.embed(clustered_vectors(8, clusters=1))
    add_playlist(library.conn, str(library.root / "set.m3u"), "Set", library.ids[:2])
    library.conn.commit()
    return library


@pytest.mark.parametrize("command", COMMANDS)
def test_a_latin1_playlist_name_is_valid_json_text(embedded, capsys, tmp_path, command):
    dest = os.path.join(str(tmp_path), "caf\udce9.m3u8")  # the name's byte 0xE9, not UTF-8
    rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", dest, "--json")
    assert rc == 0, err
    assert os.path.exists(dest)  # the file keeps its real name
    path = json.loads(out)["m3u"]["path"]
    assert path == os.path.join(str(tmp_path), "caf\ufffd.m3u8")
    path.encode("utf-8")  # a lone surrogate cannot be encoded: strict readers refuse it


@pytest.mark.parametrize("command", COMMANDS)
def test_the_m3u_object_has_a_uri_naming_the_written_file(embedded, capsys, tmp_path,
                                                          monkeypatch, command):
    """Every ``path`` in JSON has a ``uri`` beside it naming the file exactly (docs/cli.md,
    "Paths in JSON"): ``m3u`` had none, and its ``path`` shows the byte 0xE9 as U+FFFD."""
    from urllib.parse import unquote_to_bytes, urlsplit

    monkeypatch.chdir(tmp_path)
    for dest in ("caf\udce9.m3u8", os.path.join(str(tmp_path), "caf\udce9 2.m3u8")):
        rc, out, err = run_cli(capsys, embedded.ctx, *command, "--m3u", dest, "--json")
        assert rc == 0, err
        m3u = json.loads(out)["m3u"]
        assert list(m3u)[:2] == ["path", "uri"]
        uri = urlsplit(m3u["uri"])
        assert uri.scheme == "file" and uri.path.isascii()
        named = unquote_to_bytes(uri.path)
        assert named == os.fsencode(os.path.abspath(dest))
        assert os.path.isfile(named)
