"""A large tracks.csv that is not UTF-8 text (a binary file under that name, a big export
saved in Latin-1) is refused naming its first such byte and line without reading the file
into memory: the byte was looked for in the whole file read at once (a 300 MB file took
600 MB of memory to refuse, a 1 GB one would take 2 GB)."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from musicsage.errors import MusicsageError
from musicsage.library import dataset_features
from musicsage.library.dataset_read import read_tracks_csv

CHUNK = 4096
"""The chunk the search for the byte reads at a time here (1 MiB in use): small, so that a
file of a few hundred KB is many chunks, and reading it whole shows."""


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(dataset_features, "UTF8_CHUNK", CHUNK)


def test_a_large_file_not_utf8_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "tracks.csv"
    with open(path, "wb") as fh:
        fh.write(b"track_id,title\nt1,Caf\xe9\n")
        fh.write(os.urandom(512 * 1024))  # 128 chunks
    tracemalloc.start()
    try:
        with pytest.raises(MusicsageError) as exc:
            read_tracks_csv(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(exc.value) == f"{path} is not UTF-8 text (byte 0xe9 on line 2): save it as UTF-8"
    assert peak < 128 * 1024, f"{peak:,} bytes allocated to refuse it"


@pytest.mark.parametrize("text, byte, line", [
    # past the first chunk, a character cut by the end of each (9 + 2k bytes: 4096 is not)
    (b"track_id\n" + "é".encode() * 3 * CHUNK + b"\n\xff\n", 0xff, 3),
    (b"track_id\n" + (b"a" * 999 + b"\n") * 10 + b"\xc3", 0xc3, 12),  # cut in a character
])
def test_the_byte_and_line_are_found_across_chunks(tmp_path, text, byte, line):
    path = tmp_path / "tracks.csv"
    path.write_bytes(text)
    with pytest.raises(MusicsageError) as exc:
        read_tracks_csv(path)
    assert str(exc.value) == (f"{path} is not UTF-8 text (byte 0x{byte:02x} on line {line}): "
                              "save it as UTF-8")
