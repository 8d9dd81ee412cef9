"""A music folder that is itself a symbolic link (``~/Music -> /mnt/disk/Music``) is watched as
a real one: a file or folder made at the top of the folder it leads to is found, under the
link's path (the one the scan stored), once. watchdog watched the link itself (it never
follows a link that ends the path it is given): a WAV written at the top, or into a new
sub-folder, was not seen until the next rescan. A plain music folder is watched as before."""

from __future__ import annotations

import os
import time

from library_audio import write_audio
from watch_support import TIMEOUT, refuse_watches_of, watch_running

from musicsage.library import paths as P
from musicsage.library.db import connect
from musicsage.library.watch import FolderWatch
from musicsage.library.watch_apply import WatchPlan
from musicsage.library.watch_targets import named_in, observed_path, spelled_back
from musicsage.usecases.library import scan_library


def linked_music(tmp_path):
    """(the link ``Music``, the folder it leads to): one track scanned through the link."""
    real, link = tmp_path / "disk/Music", tmp_path / "Music"
    write_audio(real / "Album/seed.wav", seconds=0.2, freq=200.0)
    os.symlink(real, link)
    return link, real


def rows(ctx) -> dict[str, str]:
    return {r[0]: r[1] for r in connect(ctx).execute("SELECT path, status FROM tracks")}


def wait_until(predicate) -> bool:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.1)
    return predicate()


def under(folder, *names) -> list[str]:
    return [P.from_fs(str(folder / n)) for n in names]


def test_files_made_in_the_folder_a_link_leads_to_are_found_under_the_links_path(ctx,
                                                                                 tmp_path):
    link, real = linked_music(tmp_path)
    scan_library(ctx, [str(link)])
    top, new, seed = under(link, "top.wav", "New/inside.wav", "Album/seed.wav")
    with watch_running(ctx):
        write_audio(real / "top.wav", seconds=0.2, freq=300.0)
        (real / "New").mkdir()
        write_audio(real / "New/inside.wav", seconds=0.2, freq=400.0)
        assert wait_until(lambda: rows(ctx).get(top) == rows(ctx).get(new) == "present")
        os.rename(real / "top.wav", real / "top 2.wav")  # a move keeps its track
        os.unlink(real / "Album/seed.wav")
        (moved,) = under(link, "top 2.wav")
        assert wait_until(lambda: rows(ctx) == {seed: "missing", new: "present",
                                                moved: "present"})
        time.sleep(1.0)  # nothing more comes: no second spelling of any of them
    assert rows(ctx) == {seed: "missing", new: "present", moved: "present"}


def test_a_link_pointed_elsewhere_is_watched_where_it_leads_now(ctx, tmp_path):
    """`ln -sfn /mnt/other ~/Music`: the folder is another one (it is said back, its tracks
    as they are there); the old one's files no longer come in, the new one's do."""
    link, real = linked_music(tmp_path)
    other = tmp_path / "other"
    write_audio(other / "there.wav", seconds=0.2, freq=500.0)
    scan_library(ctx, [str(link)])
    reports = []
    with watch_running(ctx, on_batch=reports.append):
        os.unlink(link)
        os.symlink(other, link)
        assert wait_until(lambda: rows(ctx).get(under(link, "there.wav")[0]) == "present")
        write_audio(other / "later.wav", seconds=0.2, freq=600.0)
        write_audio(real / "left behind.wav", seconds=0.2, freq=700.0)
        assert wait_until(lambda: rows(ctx).get(under(link, "later.wav")[0]) == "present")
        time.sleep(1.0)
    assert under(link, "left behind.wav")[0] not in rows(ctx)
    assert all(p.startswith(P.from_fs(str(link)) + "/") for p in rows(ctx))


def test_a_folder_named_by_a_link_and_by_its_own_path_is_heard_once(ctx, tmp_path):
    """`scan --watch Music /mnt/disk/Music`: one folder, observed once (watchdog gives one
    folder one watch: a second would share it, and either's going end both); a new file is
    one track, under the spelling the library has, said in one line."""
    link, real = linked_music(tmp_path)
    with FolderWatch(WatchPlan(roots=[str(link), str(real)])) as watch:
        assert watch.watched == [(str(link), True)]
    scan_library(ctx, [str(link)])
    reports = []
    with watch_running(ctx, paths=[str(link), str(real)], on_batch=reports.append):
        write_audio(real / "top.wav", seconds=0.2, freq=300.0)
        assert wait_until(lambda: under(link, "top.wav")[0] in rows(ctx))
        time.sleep(1.5)
    assert sorted(rows(ctx)) == under(link, "Album/seed.wav", "top.wav")
    assert [r.summary() for r in reports if not r.empty] == ["1 new ('top.wav')"]


def test_a_single_file_in_a_linked_folder_is_heard_when_it_changes(ctx, tmp_path):
    """`scan ~/Music/song.wav --watch`, ``~/Music`` a link: the file's folder alone is
    observed, and that folder was the link itself: the song rewritten was never heard."""
    link, real = linked_music(tmp_path)
    write_audio(real / "song.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(link / "song.wav")])
    (song,) = under(link, "song.wav")
    conn = connect(ctx)

    def size() -> int:
        return conn.execute("SELECT size FROM tracks WHERE path = ?", (song,)).fetchone()[0]

    before = size()
    with watch_running(ctx, paths=[str(link / "song.wav")]):
        write_audio(real / "song.wav", seconds=0.4, freq=350.0)
        assert wait_until(lambda: size() != before)
    assert sorted(rows(ctx)) == [song]


def test_a_folder_refused_inside_a_link_is_said_under_the_links_path(tmp_path, monkeypatch):
    refuse_watches_of(monkeypatch, b"/Full")
    link, real = linked_music(tmp_path)
    with FolderWatch(WatchPlan(roots=[str(link)])) as watch:
        (real / "Full").mkdir()
        assert wait_until(lambda: watch.look_at_limits() or watch.not_watched)
    assert [f for f, _why in watch.not_watched] == [str(link / "Full")]


def test_a_plain_music_folder_is_observed_and_heard_as_before(ctx, tmp_path):
    """The guard: a folder that is no link is given to the observer as it is, and a file
    made at its top is found under its path (it was before the fix too)."""
    music = tmp_path / "music"
    write_audio(music / "seed.wav", seconds=0.2, freq=200.0)
    scan_library(ctx, [str(music)])
    assert observed_path(str(music)) == str(music)
    with watch_running(ctx):
        write_audio(music / "top.wav", seconds=0.2, freq=300.0)
        assert wait_until(lambda: under(music, "top.wav")[0] in rows(ctx))
    assert sorted(rows(ctx)) == under(music, "seed.wav", "top.wav")


def test_paths_are_spelled_back_only_under_the_folder_a_link_leads_to(tmp_path):
    link, real = linked_music(tmp_path)
    real = os.path.realpath(real)
    assert observed_path(str(link)) == real
    assert spelled_back(real + "/a/b.wav", real, str(link)) == str(link / "a/b.wav")
    assert spelled_back(real, real, str(link)) == str(link)
    assert spelled_back(real + "2/b.wav", real, str(link)) == real + "2/b.wav"
    assert named_in(real + "/x", [str(tmp_path / "plain"), str(link)]) == str(link / "x")
    assert named_in("/elsewhere/x", [str(link)]) == "/elsewhere/x"
