"""An Ogg or Opus file ending in the middle of a page. Its decoder reads it as a shorter, whole
stream. It is never an error: cut after a scan (a copy broken off) or replaced by a different,
shorter stream rip at the same path (the scan cannot tell the two apart), it is read as its
whole pages, and a known track that now holds less than stored gets a note saying so — an
error there held a re-ripped file back for good. A new file ending mid-page (a stream rip, a
recorder killed mid-write: players play it) is a track of its whole pages, with no note; and a
whole file with something unusual at its end (a chained stream, no end-of-stream flag, an
ID3v1 tag) is no cut.

"""

from __future__ import annotations

import json

import pytest

from musicsage.library import tags
from musicsage.library.ogg_pages import ends_mid_page
from musicsage.library.scan import scan_roots

CUT_NOTE = ("ends mid-page and holds less than when last scanned (cut short?): its vectors will "
            "be made again from what is left")


def _cut(path, keep: float) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return data


@pytest.mark.parametrize("name", ["song.ogg", "song.opus"])
def test_a_known_ogg_file_cut_short_is_read_as_its_whole_pages_with_a_note(conn, music,
                                                                            make_audio, name):
    song = music / name
    make_audio(song, seconds=6.0, tags={"title": "Song"})
    rep = scan_roots(conn, [str(music)])
    assert (rep.added, rep.errors) == (1, [])
    (track_id, duration), = conn.execute("SELECT id, duration FROM tracks")
    conn.execute("UPDATE tracks SET needs_analysis = 0")
    conn.commit()

    whole = _cut(song, 0.9)
    rep = scan_roots(conn, [str(music)])

    assert (rep.errors, rep.updated) == ([], 1)
    assert rep.notes == [(str(song), CUT_NOTE)]
    shorter, again = conn.execute("SELECT duration, needs_analysis FROM tracks WHERE id = ?",
                                  (track_id,)).fetchone()
    assert 3.0 < shorter < duration and again == 1  # its vectors made again from what is left
    assert conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0
    assert scan_roots(conn, [str(music)]).notes == []  # unchanged since: nothing to say

    song.write_bytes(whole)  # copied again in full: longer, whole, no note
    rep = scan_roots(conn, [str(music)])
    assert (rep.errors, rep.updated, rep.notes) == ([], 1, [])
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] == duration


def test_a_known_file_replaced_by_a_shorter_rip_ending_mid_page_is_its_new_track(
        conn, music, make_audio):
    """A different, shorter stream rip saved at the same path: a track, never an error."""
    song = music / "radio.ogg"
    make_audio(song, seconds=8.0)
    scan_roots(conn, [str(music)])
    make_audio(song, seconds=5.0, freq=660.0)
    _cut(song, 0.9)
    rep = scan_roots(conn, [str(music)])
    assert (rep.errors, rep.updated, rep.notes) == ([], 1, [(str(song), CUT_NOTE)])
    assert conn.execute("SELECT duration FROM tracks").fetchone()[0] < 5.0


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
    """``scan rip.ogg``: a track, as in a folder; once stored, cut further: its note."""
    from musicsage import cli

    song = tmp_path / "rip.ogg"
    make_audio(song, seconds=20.0)
    whole = _cut(song, 0.95)
    data_dir = str(tmp_path / "lib")
    assert cli.main(["--data-dir", data_dir, "scan", str(song)]) == 0
    out = capsys.readouterr()
    assert "cannot be read" not in out.err and "note:" not in out.out
    song.write_bytes(whole[: int(len(whole) * 0.6)])  # a page more gone
    assert cli.main(["--data-dir", data_dir, "scan", str(song)]) == 0
    out = capsys.readouterr()
    assert f"note: {song}: {CUT_NOTE}" in out.out
    assert "cannot be read" not in out.err and "0 errors" in out.out
    song.write_bytes(whole[: int(len(whole) * 0.3)])  # another page gone
    assert cli.main(["--data-dir", data_dir, "scan", "--json", str(song)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(n["path"], n["note"]) for n in report["notes"]] == [(str(song), CUT_NOTE)]


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


def _pages(data: bytes) -> list[bytes]:
    """The pages of a whole Ogg file, in order."""
    pages, at = [], 0
    while at < len(data):
        segments = data[at + 26]
        end = at + 27 + segments + sum(data[at + 27:at + 27 + segments])
        pages.append(data[at:end])
        at = end
    return pages


def _with_serial(page: bytes, serial: bytes) -> bytes:
    """``page`` moved to the stream ``serial``, signed by the test's own CRC (not the one the
    check under test uses)."""
    page = bytearray(page)
    page[14:18], page[22:26] = serial, b"\0\0\0\0"
    page[22:26] = _crc(bytes(page)).to_bytes(4, "little")
    return bytes(page)


def test_a_cut_in_a_file_of_interleaved_streams_is_found_whatever_stream_it_cuts(
        tmp_path, make_audio):
    """Two streams' pages alternate (audio with another stream); the page cut off belongs to
    the stream before the last whole page's: still that stream's next page, so a cut."""
    for name, seconds in (("a.ogg", 20.0), ("b.ogg", 20.0)):
        make_audio(tmp_path / name, seconds=seconds)
    a = [_with_serial(p, b"AAAA") for p in _pages((tmp_path / "a.ogg").read_bytes())]
    b = [_with_serial(p, b"BBBB") for p in _pages((tmp_path / "b.ogg").read_bytes())]
    n = min(len(a), len(b)) - 1
    assert n >= 3
    mixed = [a[0], b[0]] + [p for i in range(1, n) for p in (a[i], b[i])]  # ends with b[n-1]
    cut = tmp_path / "mixed.ogg"
    cut.write_bytes(b"".join(mixed) + a[n][: len(a[n]) // 2])
    assert ends_mid_page(str(cut))
    cut.write_bytes(b"".join(mixed) + _with_serial(a[n], b"CCCC")[: len(a[n]) // 2])
    assert not ends_mid_page(str(cut))  # no stream of the file: something else, no cut
