"""``embed``, ``tags --library`` and ``scan`` write a path in ``--json`` as every command does
(docs/cli.md, "Paths in JSON"): ``path`` as a person reads it, ``uri`` naming the file exactly.

``embed --json``'s ``errors`` and ``tags --library --json``'s ``failed`` wrote the library's
private stand-in (U+10FFxx) for a name that is not UTF-8, which names no file; ``scan --json``'s
``errors`` and ``notes`` showed U+FFFD with no ``uri``, so a script could not name the file
again. Each ``uri`` goes back in as a QUERY and names the same file.
"""

from __future__ import annotations

import json
import os
from urllib.parse import unquote_to_bytes

import numpy as np
import pytest
from search_helpers import run_cli

from musicsage.errors import MusicsageError
from musicsage.library.paths import from_fs

CAFE = b"caf\xe9 #1 50%.wav"  # Latin-1, and what a URI must escape: fails at embed and tags
NOTE = b"note\xfe.mp3"  # WAV audio under .mp3: a scan note
BAD = b"bad\xff.mp3"  # not audio: a scan error


def _strict(out: str):
    """stdout as one JSON document, as a strict parser (jq) reads it: no NaN, no junk."""
    def refuse(const):
        raise ValueError(const)
    return json.loads(out, parse_constant=refuse)


def _names(item: dict, raw: bytes) -> None:
    """``item``'s ``path`` and ``uri`` name the file at ``raw`` the way docs/cli.md says."""
    assert "\ufffd" in item["path"] and not any(ord(c) >= 0x10FF00 for c in item["path"])
    assert item["uri"].startswith("file:///") and item["uri"].isascii()
    assert unquote_to_bytes(item["uri"][len("file://"):]) == raw


@pytest.fixture
def music(tmp_path) -> bytes:
    """A folder of five files, three of them with a name that is not UTF-8; four are audio,
    so three have vectors when CAFE fails (`similar` has no list of two songs)."""
    sf = pytest.importorskip("soundfile")
    folder = os.fsencode(tmp_path / "music")
    os.makedirs(folder)
    try:
        for step, name in enumerate((CAFE, NOTE, b"plain.wav", b"other.wav"),
                                    start=1):  # no two alike
            tone = np.sin(np.arange(22050) * 0.05 * step).astype(np.float32) * 0.3
            sf.write(os.path.join(folder, name), tone, 22050, format="WAV")
        with open(os.path.join(folder, BAD), "wb") as fh:
            fh.write(b"\x00" * 4000)
    except (OSError, UnicodeError, RuntimeError):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    return folder


def _scan(capsys, ctx, folder: bytes) -> dict:
    rc, out, err = run_cli(capsys, ctx, "scan", os.fsdecode(folder), "--json")
    assert rc == 0, err
    return _strict(out)


def _spoil(folder: bytes) -> None:
    """CAFE, scanned, is overwritten with bytes no decoder reads (size and mtime kept)."""
    path = os.path.join(folder, CAFE)
    stat = os.stat(path)
    with open(path, "r+b") as fh:
        fh.write(b"\x00" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_scan_json_errors_and_notes_have_uris(capsys, ctx, music):
    data = _scan(capsys, ctx, music)
    [error] = data["errors"]
    _names(error, os.path.join(music, BAD))
    [note] = data["notes"]
    _names(note, os.path.join(music, NOTE))
    rc, _out, err = run_cli(capsys, ctx, "similar", error["uri"], "--json")
    assert rc == 1 and "could not be read by the scan" in err  # that file, not "no track"


def test_embed_json_errors_write_path_and_uri(capsys, ctx, music):
    notes = _scan(capsys, ctx, music)["notes"]
    _spoil(music)
    rc, out, err = run_cli(capsys, ctx, "embed", "--model", "spectral", "--json")
    assert rc == 0, err
    data = _strict(out)
    assert (data["embedded"], data["failed"]) == (3, 1)
    [error] = data["errors"]
    _names(error, os.path.join(music, CAFE))
    assert error["uri"].endswith("/caf%E9%20%231%2050%25.wav")
    assert not any(ord(c) >= 0x10FF00 for c in error["message"])
    rc, _out, err = run_cli(capsys, ctx, "similar", error["uri"], "--json")
    assert rc == 1 and "analysing its file failed" in err  # the track, named by its uri
    rc, out, err = run_cli(capsys, ctx, "similar", notes[0]["uri"], "--json")
    assert rc == 0, err
    assert _strict(out)["query"]["uri"] == notes[0]["uri"]
    rc, out, err = run_cli(capsys, ctx, "radio", notes[0]["uri"], "--json")
    assert rc == 0, err
    assert _strict(out)["seed"]["uri"] == notes[0]["uri"]


def test_tags_library_json_failed_write_path_and_uri(capsys, ctx, music, monkeypatch):
    import musicsage.audio.musicnn.tagger as tagger

    def tag_probabilities(_ctx, fs_path, model, **_kw):  # MusiCNN stood in for; its message
        if os.path.basename(os.fsencode(fs_path)) == CAFE:  # names the file as stored
            raise MusicsageError(f"{os.path.basename(from_fs(fs_path))}: not a readable file")
        return [("rock", 0.9)]

    monkeypatch.setattr(tagger, "tag_probabilities", tag_probabilities)
    _scan(capsys, ctx, music)
    assert run_cli(capsys, ctx, "embed", "--model", "spectral", "--json")[0] == 0
    rc, out, err = run_cli(capsys, ctx, "tags", "--library", "--json")
    assert rc == 0, err
    data = _strict(out)
    assert data["tagged"] == 3
    [failed] = data["failed"]
    _names(failed, os.path.join(music, CAFE))
    assert failed["reason"] == "caf\ufffd #1 50%.wav: not a readable file"
    rc, out, err = run_cli(capsys, ctx, "similar", failed["uri"], "--json")
    assert rc == 0, err
    assert _strict(out)["query"]["uri"] == failed["uri"]


def test_an_entry_added_to_a_playlist_of_uris_is_the_uri_json_gives(capsys, ctx, music,
                                                                      tmp_path):
    """``suggest --add`` writes a ``file://`` entry by the one rule ``--json`` follows
    (``#``, ``%``, a space and a byte that is not UTF-8 percent-encoded alike), so a script
    finds in the playlist the very ``uri`` it was given."""
    mix = tmp_path / "mix.m3u8"
    plain = "file://" + os.fsdecode(os.path.join(music, b"plain.wav"))
    mix.write_bytes(f"#EXTM3U\n{plain}\n".encode())
    rc, out, err = run_cli(capsys, ctx, "scan", os.fsdecode(music), "--playlists", str(mix),
                           "--json")
    assert rc == 0, err
    [uri] = [u for u in _strict(out)["example_uris"]["added"] if "caf" in u]
    assert uri.endswith("/caf%E9%20%231%2050%25.wav")
    rc, out, err = run_cli(capsys, ctx, "suggest", "mix", "--add", uri, "--json")
    assert rc == 0, err
    written = mix.read_bytes()
    assert written.startswith(f"#EXTM3U\n{plain}\n#EXTINF:".encode())  # kept, then extended
    assert written.endswith(f"\n{uri}\n".encode())
