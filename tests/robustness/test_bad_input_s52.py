"""Bad input refused in one line, and names found with their accents left out: ``main.py
--size foo`` (a traceback once), ``--screenshot`` into a missing folder (created it), ``embed
--hop 0`` / ``--max-seconds 0`` (read as the default), and ``similar``/``suggest``/the search
box, which set case aside but not accents although the README says both do not matter.

Each case calls the parser or the function directly: no window, no audio model."""

from __future__ import annotations

import pytest

from musicsage.audio import musicnn
from musicsage.audio.musicnn.embedding import FramePolicy
from musicsage.errors import MusicsageError
from musicsage.gui.app import parse_args, save_image_atomically, screenshot_problem
from musicsage.library.browse import search_tracks
from musicsage.library.db import connect
from musicsage.search.playlist_query import AmbiguousPlaylist, resolve_playlist
from musicsage.search.query import AmbiguousQuery, resolve_query


def _one_line_usage_error(capsys, parse) -> str:
    with pytest.raises(SystemExit) as exit_info:
        parse()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("size", ["foo", "1400", "x860", "1400x", "0x860", "-5x10", "1e3x2"])
def test_a_bad_window_size_is_refused_by_the_parser(capsys, size):
    line = _one_line_usage_error(capsys, lambda: parse_args([f"--size={size}"]))
    assert "--size" in line and "WxH" in line


def test_good_window_sizes_are_kept():
    assert parse_args(["--size", "1400X860"]).size == "1400x860"
    assert parse_args(["--size", "auto"]).size == "auto"
    assert parse_args([]).size is None


def test_a_screenshot_into_a_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    missing = tmp_path / "no" / "such"
    problem = screenshot_problem(str(missing / "x.png"))
    assert problem and "does not exist" in problem and "\n" not in problem
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert "not a folder" in (screenshot_problem(str(a_file / "x.png")) or "")
    assert screenshot_problem(str(tmp_path / "x.png")) is None
    assert not (tmp_path / "no").exists()


def test_saving_the_screenshot_never_makes_its_folder(tmp_path):
    class Image:  # what save_image_atomically asks of a QPixmap
        def save(self, path: str, fmt: str) -> bool:
            with open(path, "wb") as f:
                f.write(fmt.encode())
            return True

    assert not save_image_atomically(Image(), tmp_path / "no" / "x.png")
    assert not (tmp_path / "no").exists()
    assert save_image_atomically(Image(), tmp_path / "x.png")
    assert (tmp_path / "x.png").read_bytes() == b"PNG"


@pytest.mark.parametrize("given", [{"hop": 0}, {"max_seconds": 0}, {"hop": -1},
                                   {"max_seconds": -1}])
def test_embed_refuses_a_musicnn_hop_or_length_of_zero_as_it_does_minus_one(given):
    """``embed --hop 0`` / ``--max-seconds 0`` (a hop that moves nowhere, no audio at all) were
    read as the defaults; -1 was refused. ``identity`` is what ``embed`` asks before any work
    (without torch or the weights): its refusal is the one line the command prints."""
    with pytest.raises(MusicsageError, match="positive"):
        musicnn.identity(None, model_id="musicnn", **given)
    assert FramePolicy.of("musicnn") == FramePolicy.of("musicnn", None, None)


@pytest.fixture
def accented(ctx, tmp_path):
    conn = connect(ctx)
    ids = {}
    for key, title, artist in [("orbit", "Orbit in Reykjavík", "Hafdís"),
                               ("cafe_plain", "Cafe", "Someone"),
                               ("cafe_accent", "Café", "Someone")]:
        cur = conn.execute(
            "INSERT INTO tracks(path, size, mtime_ns, format, title, artist, duration, status,"
            " needs_analysis) VALUES (?, 1, 1, 'wav', ?, ?, 180, 'present', 0)",
            (str(tmp_path / f"{key}.wav"), title, artist))
        ids[key] = int(cur.lastrowid)
    for name in ("Bogotá Late Night Drive", "Morning", "Cafe", "Café"):
        conn.execute("INSERT INTO playlists(path, name, format, size, mtime_ns)"
                     " VALUES (?, ?, 'm3u', 0, 0)", (str(tmp_path / f"{name}.m3u"), name))
    conn.commit()
    return conn, ids


def test_similar_finds_a_title_typed_without_its_accents(accented):
    conn, ids = accented
    assert resolve_query(conn, "orbit in reykjavik") == ids["orbit"]
    assert resolve_query(conn, "hafdis - orbit in reykjavik") == ids["orbit"]
    assert resolve_query(conn, "ORBIT IN REYKJAVÍK") == ids["orbit"]


def test_an_exact_match_as_typed_wins_over_one_with_accents_set_aside(accented):
    conn, ids = accented
    assert resolve_query(conn, "Café") == ids["cafe_accent"]
    assert resolve_query(conn, "cafe") == ids["cafe_plain"]
    with pytest.raises(AmbiguousQuery):
        resolve_query(conn, "CAFÈ")  # neither as typed: both equally close


def test_suggest_finds_a_playlist_typed_without_its_accents(accented):
    conn, _ = accented
    pid = resolve_playlist(conn, "bogota late night drive")
    name = conn.execute("SELECT name FROM playlists WHERE id = ?", (pid,)).fetchone()[0]
    assert name == "Bogotá Late Night Drive"


def test_a_playlist_named_exactly_as_typed_is_not_made_ambiguous_by_its_accented_twin(
        accented):
    """"Cafe" and "Café" both fold to "cafe": the name as typed decides, as for tracks."""
    conn, _ = accented
    named = {n: p for p, n in conn.execute("SELECT id, name FROM playlists")}
    assert resolve_playlist(conn, "Cafe") == named["Cafe"]
    assert resolve_playlist(conn, "café") == named["Café"]
    with pytest.raises(AmbiguousPlaylist):
        resolve_playlist(conn, "CAFÈ")


def test_the_search_box_sets_accents_aside_and_ranks_the_exact_title_first(accented):
    conn, ids = accented
    assert [t.id for t in search_tracks(conn, "reykjavik")] == [ids["orbit"]]
    assert [t.id for t in search_tracks(conn, "hafdis orbit")] == [ids["orbit"]]
    assert [t.id for t in search_tracks(conn, "café")][0] == ids["cafe_accent"]
    assert [t.id for t in search_tracks(conn, "cafe")][0] == ids["cafe_plain"]


def test_the_playlist_filter_folds_as_before():
    from musicsage.controllers.playlist_order import folded, matches

    assert folded("Électro") == "electro"
    assert matches("Bogotá Late Night Drive", "bogota night")


def test_a_zero_hop_stored_by_an_earlier_version_is_forgotten_not_refused_forever(ctx):
    """Before the check, ``embed --hop 0`` ran as the default and stored hop 0; read back
    now, every plain ``embed`` would be refused. A stored value that is no positive number
    is forgotten; a good one beside it is kept."""
    from musicsage.audio.selection import BUDGET_SETTING, _budget
    from musicsage.library import queries as q
    from musicsage.library.db import connect

    q.set_setting(connect(ctx), BUDGET_SETTING, {"musicnn": {"hop": 0, "max_seconds": 30}})
    assert _budget(ctx, "musicnn", None, None) == (None, 30)
    assert _budget(ctx, "musicnn", 2.0, None) == (2.0, 30), "a value given still wins"
