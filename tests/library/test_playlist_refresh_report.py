"""What a scan says about playlists: a re-read only because the library grew tells only what
the new tracks resolved (not the same "N not found" again), and a playlist none of whose entries
were found is a warning, not an empty playlist imported in silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_audio import write_audio
from player_files import write_rhythmbox

from musicsage.controllers.summaries import describe_scan
from musicsage.library.playlists.store import PlaylistReport
from musicsage.usecases.library import scan_library


@pytest.fixture
def road_trip(tmp_path: Path) -> tuple[Path, Path]:
    """``music/a.wav`` and ``lists/Road trip.m3u`` naming a.wav, b.wav and c.wav (b, c absent)."""
    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "a.wav", seconds=0.1)
    lists.mkdir()
    (lists / "Road trip.m3u").write_text("../music/a.wav\n../music/b.wav\n../music/c.wav\n")
    return music, lists


def test_a_refresh_tells_only_the_entries_the_new_tracks_resolved(ctx, road_trip):
    music, lists = road_trip
    (first,) = scan_library(ctx, [music], [lists]).playlists
    assert (first.refreshed, len(first.unresolved), first.quiet) == (False, 2, False)
    write_audio(music / "b.wav", seconds=0.1)
    rep = scan_library(ctx)  # the library grew: the playlist is re-read, the user did not ask
    (again,) = rep.playlists
    assert (again.refreshed, again.previously_unresolved, again.quiet) == (True, 2, True)
    assert again.refresh_note() == ("playlist 'Road trip': 1 entry found now that its file is "
                                    "in the library (1 still not found)")
    assert describe_scan(rep) == ("Scan finished: 1 new, "
                                  "1 playlist entry found now that its file is in the library")
    assert {"refreshed": True, "previously_unresolved": 2}.items() <= again.to_dict().items()
    write_audio(music / "other.wav", seconds=0.1)
    rep = scan_library(ctx)  # grew again, but nothing the playlist names: nothing to say
    (third,) = rep.playlists
    assert third.quiet and third.refresh_note() is None and not third.warns
    assert describe_scan(rep) == "Scan finished: 1 new"


def test_a_playlist_the_user_names_or_changed_gets_the_full_report(ctx, road_trip):
    music, lists = road_trip
    scan_library(ctx, [music], [lists])
    write_audio(music / "b.wav", seconds=0.1)
    (named,) = scan_library(ctx, [music], [lists]).playlists  # named again (its folder)
    assert not named.refreshed and not named.quiet
    assert describe_scan(scan_library(ctx, [], [lists])) == (
        "Scan finished: 1 playlist imported (1 entry not found)")
    write_audio(music / "d.wav", seconds=0.1)
    (lists / "Road trip.m3u").write_text("../music/a.wav\n../music/x.wav\n")
    (changed,) = scan_library(ctx).playlists
    assert not changed.refreshed and changed.unresolved[0]["raw"] == "../music/x.wav"


def test_cli_rescan_does_not_repeat_unresolved_entries(data_dir, road_trip, capsys):
    from musicsage.cli import main

    music, lists = road_trip
    assert main(["scan", str(music), "--playlists", str(lists), "--data-dir", str(data_dir)]) == 0
    assert "unresolved #2: ../music/b.wav" in capsys.readouterr().out
    write_audio(music / "c.wav", seconds=0.1)
    assert main(["scan", "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "unresolved #" not in out and "warning" not in err, out
    assert ("playlist 'Road trip': 1 entry found now that its file is in the library "
            "(1 still not found)") in out.splitlines()


def test_a_playlist_none_of_whose_entries_exist_is_a_warning(ctx, tmp_path, data_dir, capsys):
    from musicsage.cli import main

    music, lists = tmp_path / "music", tmp_path / "lists"
    write_audio(music / "here.wav", seconds=0.1)
    lists.mkdir()
    (lists / "Old.m3u").write_text("/old/disk/one.mp3\n/old/disk/two.mp3\n/old/disk/three.mp3\n")
    warning = ("playlist 'Old': none of its 3 entries were found in the library "
               "(e.g. '/old/disk/one.mp3'); if the files moved, scan the folder they are in now")
    rep = scan_library(ctx, [music], [lists])
    (empty,) = rep.playlists
    assert empty.playlist_id is not None and empty.warns  # still imported, to resolve later
    assert empty.none_found_warning() == warning
    assert describe_scan(rep) == ("Scan finished: 1 new, 1 playlist imported "
                                  f"(3 entries not found), {warning}")
    assert main(["scan", str(music), "--playlists", str(lists), "--data-dir", str(data_dir)]) == 0
    assert f"warning: {warning}" in capsys.readouterr().err.splitlines()


def test_the_empty_playlist_warning_names_a_reason_the_user_cannot_fix_by_scanning():
    radio = PlaylistReport("/p/radio.m3u", name="Radio", entries=1, unresolved=[
        {"position": 0, "raw": "http://radio.example/stream", "reason": "not a local file (http URL)"}])
    assert radio.none_found_warning() == ("playlist 'Radio': its only entry was not found in the "
                                          "library ('http://radio.example/stream': not a local "
                                          "file (http URL))")
    long_raw = "/very/" + "deep/" * 20 + "song.mp3"
    deep = PlaylistReport("/p/deep.m3u", name="Deep", entries=2, unresolved=[
        {"position": 0, "raw": long_raw, "reason": "no track in the library at this location"}] * 2)
    assert deep.none_found_warning() == ("playlist 'Deep': none of its 2 entries were found in "
                                         "the library; if the files moved, scan the folder they "
                                         "are in now")
    assert PlaylistReport("/p/empty.m3u", name="Empty").none_found_warning() is None


def test_a_refreshed_player_library_does_not_repeat_its_skipped_lists(ctx, tmp_path):
    music = tmp_path / "music"
    write_audio(music / "a.wav", seconds=0.1)
    source = write_rhythmbox(tmp_path / "playlists.xml",
                             [("Road trip", [music / "a.wav", music / "b.wav"])])
    first = scan_library(ctx, [music], [source]).playlists
    assert any(r.skipped for r in first) and not any(r.quiet for r in first)
    write_audio(music / "b.wav", seconds=0.1)
    rep = scan_library(ctx)
    assert rep.playlists and all(r.refreshed and r.quiet for r in rep.playlists)
    assert not any(r.warns for r in rep.playlists)
    assert describe_scan(rep) == ("Scan finished: 1 new, "
                                  "1 playlist entry found now that its file is in the library")


def test_the_folder_watch_counts_a_refresh_only_for_what_it_found(ctx, road_trip):
    from musicsage.controllers.summaries import describe_watch
    from musicsage.library.db import connect
    from musicsage.library.watch import Batch
    from musicsage.library.watch_apply import WatchPlan, apply_changes

    music, lists = road_trip
    scan_library(ctx, [music], [lists])
    conn, plan = connect(ctx), WatchPlan(roots=[str(music)])

    def added(name: str):
        write_audio(music / name, seconds=0.1)
        return apply_changes(conn, plan, Batch(paths={str(music / name): False}))

    rep = added("b.wav")  # the playlist is re-read: it names b.wav
    assert [p.quiet for p in rep.playlists] == [True]
    found = "1 playlist entry found now that its file is in the library"
    assert rep.summary() == f"1 new ('b.wav'), {found}"
    assert describe_watch(rep) == (f"Folder watch: 1 new ('b.wav'), {found}", "info")
    rep = added("other.wav")  # re-read again, nothing new in it: not "1 playlist imported"
    assert rep.playlists and rep.summary() == "1 new ('other.wav')"
    assert describe_watch(rep) == ("Folder watch: 1 new ('other.wav')", "info")
