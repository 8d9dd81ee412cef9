"""Too few playlist memberships of analysed tracks, and an embed could analyse more tracks —
but each of those is alone in its playlist, and the one playlist of two pairs an analysed
track with a missing file: "run `musicsage embed`, then `musicsage train`" was said; after
that embed the line turned to "no playlist holds two", and ``train`` refused."""

from __future__ import annotations

from search_helpers import add_playlist, clustered_vectors, run_cli
from hints_told_support import as_default


def _models_line(capsys, ctx) -> str:
    rc, out, _err = run_cli(capsys, ctx, "models")
    assert rc == 0
    return out.strip()


def test_embed_is_not_advised_where_it_leaves_no_playlist_holding_two(capsys, ctx, library):
    library.add(26)
    library.embed(clustered_vectors(5), library.ids[:5])
    for i, track in enumerate(library.ids[:5] + library.ids[6:]):  # each alone
        add_playlist(library.conn, f"/p/{i}.m3u", f"p{i}", [track])
    add_playlist(library.conn, "/p/two.m3u", "two", [library.ids[0], library.ids[5]])
    library.set_missing(library.ids[5])
    library.conn.commit()

    line = _models_line(capsys, ctx)

    assert "no playlist of this library holds two of its tracks that have one" in line, line
    assert "run `musicsage embed`" not in as_default(line, ctx.data_dir), line
    assert "once the missing files are back" in line, "its missing file would pair: said"
