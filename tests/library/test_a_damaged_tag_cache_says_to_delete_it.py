"""A tag cache that is no SQLite database any more (a crash or a full disk while it was
written, a file put in its place) stops ``tags --library`` with what to do: "file is not a
database" alone left every run refused and the user with no way on, where the cache is
derived data that deleting rebuilds."""

from __future__ import annotations

from library_audio import write_audio

from musicsage.cli import main
from musicsage.library import tag_cache


def test_tags_library_with_a_damaged_cache_says_to_delete_it(ctx, tmp_path, tagger, capsys):
    write_audio(tmp_path / "music" / "a.wav", seconds=1.0)
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(tmp_path / "music")]) == 0
    cache = tag_cache.cache_path(ctx.cache_dir)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"not a database " * 100)
    capsys.readouterr()

    assert main(["--data-dir", str(ctx.data_dir), "tags", "--library"]) == 1

    _, err = capsys.readouterr()
    assert tagger == [], "refused before a track was tagged for nothing"
    assert err.count("\n") == 1 and "file is not a database" in err
    assert "the tag cache is damaged: delete it" in err
    assert cache.read_bytes() == b"not a database " * 100  # the file is the user's to delete
