"""``--m3u lnk/../x.m3u8 --json``: the system writes the file beside the folder ``lnk``
points to (``..`` of the link's target), but the ``m3u`` object's ``uri`` collapsed ``..``
without following the link and named a file that was never written."""

from __future__ import annotations

import json
import os
from urllib.parse import unquote_to_bytes, urlsplit

from search_helpers import add_track, clustered_vectors, run_cli


def test_the_uri_names_the_file_written_through_a_link(library, capsys, tmp_path, monkeypatch):
    for i in range(4):
        library.ids.append(add_track(library.conn, str(library.root / f"s{i}.wav"),
                                     title=f"Song {i}", artist="A"))
    library.embed(clustered_vectors(4, clusters=1))
    library.conn.commit()
    deep = tmp_path / "far" / "deep"
    deep.mkdir(parents=True)
    (tmp_path / "lnk").symlink_to(deep)
    monkeypatch.chdir(tmp_path)
    rc, out, err = run_cli(capsys, library.ctx, "similar", "1", "-k", "2", "--space", "audio",
                           "--m3u", os.path.join("lnk", "..", "x.m3u8"), "--json")
    assert rc == 0, err
    written = tmp_path / "far" / "x.m3u8"
    assert written.is_file() and not (tmp_path / "x.m3u8").exists()
    named = unquote_to_bytes(urlsplit(json.loads(out)["m3u"]["uri"]).path)
    assert os.path.isfile(named) and os.path.samefile(named, written)
