"""A library scanned before raw AAC files were read with their ID3 tags: a raw AAC behind an
ID3v2 tag named ``.mp3`` (a stream ripper's), or with an ID3v1 tag at its end, was stored
untagged — its file's name for a title, no artist, no album — and a scan skips unchanged
files, so it stayed so. The next scan reads their tags once (:mod:`.tag_reread`), their
vectors kept; a raw AAC with no tag is not read again in full."""

from __future__ import annotations

import numpy as np
from adts_support import vbr_adts
from mutagen.id3 import ID3, TALB, TIT2, TPE1

from musicsage.library import tags
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import scan_roots
from musicsage.library.tag_reread import AAC_KEY

ID3V1 = (b"TAG" + b"V1 Title".ljust(30, b"\0") + b"V1 Artist".ljust(30, b"\0")
         + b"V1 Album".ljust(30, b"\0") + b"2001" + b"\0" * 30 + b"\xff")


def raw_aacs(music) -> None:
    """ripped.mp3 (ID3v2 before a raw AAC), v1.aac (ID3v1 after one), bare.aac (no tag)."""
    vbr_adts(music / "bare.aac", silence_s=1.0, noise_s=2.0)
    audio = (music / "bare.aac").read_bytes()
    ripped = music / "ripped.mp3"
    ripped.write_bytes(audio)
    tag = ID3()
    tag.add(TIT2(encoding=3, text="Tagged Title"))
    tag.add(TPE1(encoding=3, text="Tag Artist"))
    tag.add(TALB(encoding=3, text="Tag Album"))
    tag.save(str(ripped), v1=0)
    (music / "v1.aac").write_bytes(audio + ID3V1)


def as_an_older_scan_left_them(conn) -> None:
    """Every raw AAC track untagged, as an older scan stored it, with vectors; the re-read of
    this version not done."""
    for track_id, path in conn.execute("SELECT id, path FROM tracks").fetchall():
        name = path.rsplit("/", 1)[1].rsplit(".", 1)[0]
        conn.execute("UPDATE tracks SET title = ?, artist = NULL, album = NULL, year = NULL,"
                     " needs_analysis = 0 WHERE id = ?", (name, track_id))
        conn.execute("INSERT INTO audio_embeddings(track_id, model_id, model_version, dim,"
                     " vector) VALUES (?, 'spectral', '1', 2, ?)",
                     (track_id, np.zeros(2, np.float32).tobytes()))
    set_setting(conn, AAC_KEY, None)
    conn.commit()


def stored(conn) -> dict[str, tuple]:
    return {r[0].rsplit("/", 1)[1]: tuple(r[1:]) for r in conn.execute(
        "SELECT t.path, t.format, t.title, t.artist, t.album, t.needs_analysis,"
        " count(e.track_id) FROM tracks t LEFT JOIN audio_embeddings e ON e.track_id = t.id"
        " GROUP BY t.id")}


def test_the_next_scan_reads_a_raw_aacs_id3_tags_once_its_vectors_kept(conn, music,
                                                                       monkeypatch):
    raw_aacs(music)
    scan_roots(conn, [str(music)])
    as_an_older_scan_left_them(conn)
    read: list[str] = []
    probe = tags.probe
    monkeypatch.setattr(tags, "probe", lambda path, *a: read.append(path) or probe(path, *a))
    rep = scan_roots(conn, [str(music)])
    assert (rep.updated, rep.unchanged, rep.tags_read_again, rep.errors) == (0, 3, 2, [])
    said = {p.rsplit("/", 1)[1]: n for p, n in rep.notes}
    assert sorted(said) == ["ripped.mp3", "v1.aac"], rep.notes
    assert said["ripped.mp3"].startswith("tags read again (an older version misread them): "
                                         "title 'ripped' → 'Tagged Title', artist none →")
    now = stored(conn)
    assert now["ripped.mp3"] == ("aac", "Tagged Title", "Tag Artist", "Tag Album", 0, 1)
    assert now["v1.aac"] == ("aac", "V1 Title", "V1 Artist", "V1 Album", 0, 1)
    assert now["bare.aac"] == ("aac", "bare", None, None, 0, 1)
    assert not [p for p in read if p.endswith("bare.aac")], "no tag: not read in full"
    read.clear()
    again = scan_roots(conn, [str(music)])
    assert again.notes == [] and read == [] and get_setting(conn, AAC_KEY) == []
