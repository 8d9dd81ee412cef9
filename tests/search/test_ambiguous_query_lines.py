"""A QUERY that fits several tracks lists them, each with where it is, and says what to give
instead.

- A track imported from a dataset dir without an audio file was listed under the library's
  internal key (``dataset:/…/ds#t1``), which no user has seen; it reads now as ``playlists
  PLAYLIST`` says it: ``— no audio file (imported from DIR)``. Tracks with a file keep
  ``(their path)``.
- Where every candidate has the same artist and title (one song on two albums), "give …
  'artist - title'" sent the user to type what names them all again.
- Where no candidate listed has a file, "give … a path" asked for what none of them shows."""

from __future__ import annotations

from pathlib import Path

from musicsage.cli import main


def _dataset(d: Path) -> Path:
    d.mkdir()
    (d / "tracks.csv").write_text("track_id,title,artist,album\nt1,Alpha,Ds,One\n"
                                  "t2,Alpha,Ds,Two\nt3,Beta,Ds,One\nt4,Beta,Es,One\n")
    return d


def test_ambiguous_candidates_read_as_a_user_knows_them(tmp_path, capsys):
    ds = _dataset(tmp_path / "ds")
    data = str(tmp_path / "data")
    assert main(["import", str(ds), "--data-dir", data, "--json"]) == 0
    capsys.readouterr()

    assert main(["similar", "Alpha", "--data-dir", data]) == 1
    out, err = capsys.readouterr()
    assert err.strip().endswith("'Alpha' matches 2 tracks; give a track id")
    lines = out.splitlines()
    assert len(lines) == 2 and "dataset:" not in out
    assert all(line.endswith(f"Ds - Alpha  — no audio file (imported from {ds})")
               for line in lines)

    assert main(["similar", "Beta", "--data-dir", data]) == 1  # two artists: it helps
    _out, err = capsys.readouterr()
    assert err.strip().endswith("matches 2 tracks; give a track id or 'artist - title'")


def test_a_path_is_advised_when_one_candidate_listed_has_a_file():
    from musicsage.search.query import AmbiguousQuery, Candidate

    listed = [Candidate(1, "Beta", "Ds", "/music/beta.ogg", "present"),
              Candidate(2, "Beta", "Es", "dataset:/ds#t4", "present")]
    assert str(AmbiguousQuery("Beta", listed, 2)).endswith(
        "give a track id, a path or 'artist - title'")
    assert str(AmbiguousQuery("Ds - Beta", listed, 2)).endswith("give a track id or a path")
