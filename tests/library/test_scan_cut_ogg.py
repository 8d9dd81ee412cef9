"""An Ogg or Opus file ending in the middle of a page. Its decoder reads it as a shorter, whole
stream. Cut after a scan (a copy broken off, a file truncated), the scan stored it as a changed
track, said nothing, and the embedder made its vectors from what was left: that must be an
error ("audio ends early"), as a cut FLAC or MP3 is, read again by the next scan. A new file
ending mid-page (a stream rip with curl, a recorder killed mid-write: players play it) is a
track of its whole pages, as it always was; and a whole file with something unusual at its
end (a chained stream, no end-of-stream flag, an ID3v1 tag) is no cut."""

from __future__ import annotations

import pytest

from musicsage.errors import AUDIO_ENDS_EARLY
from musicsage.library import tags
from musicsage.library.scan import scan_roots


def _cut(path, keep: float) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return data


@pytest.mark.parametrize("name", ["song.ogg", "song.opus"])
def test_a_cut_ogg_file_is_an_error_and_reads_again_once_whole(conn, music, make_audio, name):
    song = music / name
    make_audio(song, seconds=6.0, tags={"title": "Song"})
    rep = scan_roots(conn, [str(music)])
    assert (rep.added, rep.errors) == (1, [])
    (track_id, duration), = conn.execute("SELECT id, duration FROM tracks")

    whole = _cut(song, 0.9)
    rep = scan_roots(conn, [str(music)])

    assert rep.errors == [(str(song), AUDIO_ENDS_EARLY)]
    assert rep.updated == 0
    assert tuple(conn.execute("SELECT duration, needs_analysis FROM tracks WHERE id = ?",
                              (track_id,)).fetchone()) == (duration, 1)  # not the shorter length
    assert conn.execute("SELECT COUNT(*) FROM errors WHERE stage = 'scan'").fetchone()[0] == 1
    assert scan_roots(conn, [str(music)]).errors == [(str(song), AUDIO_ENDS_EARLY)]  # again

    song.write_bytes(whole)  # copied again in full
    rep = scan_roots(conn, [str(music)])
    assert (rep.errors, rep.updated) == ([], 1)
    assert conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0


@pytest.mark.parametrize("name", ["rip.ogg", "rip.opus"])
def test_a_new_file_ending_mid_page_is_a_track_of_its_whole_pages(conn, music, make_audio,
                                                                   name):
    """A stream rip or a recording killed mid-write: it plays, less a fraction of a second."""
    make_audio(music / name, seconds=6.0)
    _cut(music / name, 0.9)
    info = tags.probe(str(music / name))
    assert info.ends_mid_page and 3.0 < info.duration < 6.0
    rep = scan_roots(conn, [str(music)])
    assert (rep.added, rep.errors) == (1, [])
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] == info.duration
    touched = music / name
    touched.write_bytes(touched.read_bytes())  # a new mtime: read again, still no error
    assert scan_roots(conn, [str(music)]).errors == []


def test_scan_of_one_ogg_file_gives_the_verdict_a_folder_scan_gives(ctx, tmp_path, make_audio,
                                                                     capsys):
    """``scan rip.ogg``: a track, as in a folder; once stored, cut further: its error line."""
    from musicsage import cli

    song = tmp_path / "rip.ogg"
    make_audio(song, seconds=20.0)
    whole = _cut(song, 0.95)
    data_dir = str(tmp_path / "lib")
    assert cli.main(["--data-dir", data_dir, "scan", str(song)]) == 0
    assert "cannot be read" not in capsys.readouterr().err
    song.write_bytes(whole[: int(len(whole) * 0.6)])  # a page more gone
    cli.main(["--data-dir", data_dir, "scan", str(song)])
    out = capsys.readouterr()
    assert AUDIO_ENDS_EARLY in out.out + out.err


def _crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0), bit by bit."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def _without_eos_flag(data: bytes) -> bytes:
    """``data`` (one Ogg stream) with its last page's end-of-stream flag cleared."""
    at = data.rfind(b"OggS")
    page = bytearray(data[at:])
    page[5] &= ~0x04
    page[22:26] = b"\0\0\0\0"
    page[22:26] = _crc(bytes(page)).to_bytes(4, "little")
    return data[:at] + bytes(page)


@pytest.mark.parametrize("variant", ["chained", "no end-of-stream flag", "ID3v1 tag",
                                     "junk starting OggS"])
def test_a_whole_ogg_file_with_an_unusual_end_is_no_cut(conn, music, make_audio, variant):
    song = music / "song.ogg"
    make_audio(song, seconds=3.0)
    scan_roots(conn, [str(music)])
    data = song.read_bytes()
    make_audio(music / "other.ogg", seconds=2.0, freq=660.0)
    other = (music / "other.ogg").read_bytes()
    (music / "other.ogg").unlink()
    song.write_bytes({
        "chained": data + other,
        "no end-of-stream flag": _without_eos_flag(data),
        "ID3v1 tag": data + b"TAG" + b"Title".ljust(30, b"\0") + bytes(95),
        "junk starting OggS": data + b"OggS\0\0" + bytes(range(40, 120)),
    }[variant])
    assert not tags.probe(str(song)).ends_mid_page
    rep = scan_roots(conn, [str(music)])
    assert rep.errors == []
