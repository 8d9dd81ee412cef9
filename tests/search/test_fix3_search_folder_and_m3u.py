"""``similar FOLDER`` of a folder holding no track looked at every track's folder on disk to
say so (24,000 lstat for 30,000 tracks: the library's disks woken, a stale network share
hung); ``--m3u LINK --json``'s uri named the link, not the file written through it."""

from __future__ import annotations

import json
import os
from urllib.parse import unquote_to_bytes, urlsplit

from search_helpers import add_track, clustered_vectors, run_cli


def test_a_folder_holding_no_track_is_told_without_looking_at_the_librarys(
        capsys, ctx, tmp_path, monkeypatch):
    from musicsage.library.db import connect

    music, conn = tmp_path / "music", connect(ctx)
    for f in range(40):
        album = music / f"Artist {f // 10}" / f"Album {f}"
        album.mkdir(parents=True)
        for t in range(3):
            add_track(conn, str(album / f"{t:02d} song.flac"), title=f"Song {f}-{t}",
                      artist="A")
    conn.commit()
    new = tmp_path / "Downloads" / "new album"
    new.mkdir(parents=True)
    (new / "00 song.flac").write_bytes(b"a song never scanned")  # a track's name, not its size
    looked_at: list[str] = []
    for name in ("lstat", "stat"):
        real = getattr(os, name)

        def watched(path, *args, _real=real, **kwargs):
            if str(music) in os.fsdecode(path):
                looked_at.append(os.fsdecode(path))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, watched)
    rc, out, err = run_cli(capsys, ctx, "similar", str(new))
    monkeypatch.undo()
    assert (rc, out) == (1, "")
    assert "is a folder, not a track, and holds no track of the library: scan it first" in err
    # only the tracks of a name found there, none of their folders (a re-tagged album
    # behind a link is found by its names: tests/search/test_fix4_search_review.py)
    assert {os.path.basename(p) for p in looked_at} <= {"00 song.flac"}
    assert len(set(looked_at)) <= 40


def test_the_uri_of_a_playlist_written_through_a_link_names_the_file_written(
        capsys, library, tmp_path, monkeypatch):
    for i in range(4):
        library.ids.append(add_track(library.conn, str(library.root / f"s{i}.wav"),
                                     title=f"Song {i}", artist="A"))
    library.embed(clustered_vectors(4, clusters=1))
    library.conn.commit()
    (tmp_path / "real").mkdir()
    (tmp_path / "link.m3u8").symlink_to(tmp_path / "real" / "list.m3u8")
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, library.ctx, "similar", "1", "-k", "2", "--space", "audio",
                           "--m3u", "link.m3u8", "--json")
    assert rc == 0, err
    assert os.path.islink(tmp_path / "link.m3u8")  # the link stays, its target gets the list
    named = unquote_to_bytes(urlsplit(json.loads(out)["m3u"]["uri"]).path)
    assert named == os.fsencode(tmp_path / "real" / "list.m3u8")
