"""The folder watch as a reviewer met it: a playlist folder deleted and made again, Ctrl-C while
a batch reads its files, ``scan --watch`` started with SIGINT ignored, and batches that change
nothing (two watchers on one library: the idle one's batch finds its files stored already)."""

from __future__ import annotations

import shutil
import signal
import threading
import time

import pytest
from library_audio import write_audio
from test_watch_folder import TIMEOUT, Watching, present, wait_until

from musicsage import cli
from musicsage.library import tags
from musicsage.library.db import connect
from musicsage.library.watch import POLL_SECONDS
from musicsage.library.watch_apply import WatchReport
from musicsage.progress import CancelToken
from musicsage.usecases.library import scan_library
from musicsage.usecases.watch import watch_library


def playlist_names(ctx) -> set[str]:
    return {r[0] for r in connect(ctx).execute("SELECT name FROM playlists")}


def test_a_playlist_folder_deleted_and_made_again_is_watched_again(ctx, tmp_path):
    """``scan --watch --playlists Lists``; Lists deleted, made again, a playlist saved into
    it: the watch never came back to it (the new list was never imported, and the one whose
    file went stayed in the library)."""
    music, lists = tmp_path / "music", tmp_path / "Lists"
    one = write_audio(music / "one.wav", seconds=0.2, freq=300.0)
    two = write_audio(music / "two.wav", seconds=0.2, freq=400.0)
    lists.mkdir()
    (lists / "mine.m3u8").write_text(f"{one}\n")
    scan_library(ctx, [str(music)], [str(lists)])
    watch = Watching(ctx, playlists=[str(lists)])
    try:
        shutil.rmtree(lists)
        time.sleep(3 * POLL_SECONDS)  # the watch looks at its folders once per cycle
        lists.mkdir()
        (lists / "new.m3u8").write_text(f"{one}\n{two}\n")
        wait_until(lambda: playlist_names(ctx) == {"new"}, "new.m3u8 imported, 'mine' gone")
        (lists / "later.m3u8").write_text(f"{two}\n")  # and the folder is observed again
        wait_until(lambda: playlist_names(ctx) == {"new", "later"}, "later.m3u8 imported")
    finally:
        watch.stop()


class Run:
    """``watch_library`` in a thread; what it returns (the updates it counts) once stopped."""

    def __init__(self, ctx, **kw):
        self.cancel, self.reports, self.ready = CancelToken(), [], threading.Event()
        self.result: int | None = None

        def run():
            self.result = watch_library(ctx, on_batch=self.reports.append, cancel=self.cancel,
                                        on_ready=lambda _w: self.ready.set(), **kw)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.ready.wait(TIMEOUT), "the watch did not start"

    def stopped(self) -> int | None:
        self.cancel.cancel()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the watch did not stop"
        return self.result


def test_ctrl_c_while_a_batch_reads_its_files_says_what_was_stored(ctx, tmp_path, monkeypatch):
    """Ctrl-C while a batch of 8 new files was read: 3 were stored, and the watch said only
    "stopped watching after 0 updates"."""
    music = tmp_path / "my music"
    write_audio(music / "first.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    run = Run(ctx, quiet=0.3)
    probe, probed = tags.probe, []

    def probe_then_ctrl_c(*args, **kwargs):
        probed.append(args)
        if len(probed) == 3:
            run.cancel.cancel()  # what the CLI's Ctrl-C handler does
        return probe(*args, **kwargs)

    monkeypatch.setattr(tags, "probe", probe_then_ctrl_c)
    staging = tmp_path / "staging"
    for i in range(8):
        write_audio(staging / f"n{i}.wav", seconds=0.2, freq=200.0 + 20 * i)
    staging.rename(music / "new")
    run.thread.join(TIMEOUT)
    stored = connect(ctx).execute("SELECT COUNT(*) FROM tracks WHERE path LIKE ?",
                                  (f"{music}/new/%",)).fetchone()[0]
    assert stored == 3
    assert run.stopped() == 1  # an update: the library changed
    [rep] = run.reports
    assert rep.summary() == (f"reading interrupted: 3 new tracks stored, of 8 files found; "
                             f"run `musicsage scan '{music}'` to read the rest")
    assert rep.scan.added == 3 and rep.needs_embedding and not rep.empty
    assert rep.to_dict()["stopped_reading"] == rep.summary()


def test_a_batch_that_changes_nothing_is_no_update(ctx, tmp_path):
    """Another watcher (or a scan) stored the file before this watch's batch read it: the
    batch changes nothing, and was counted in "stopped watching after 1 update"."""
    music = tmp_path / "music"
    write_audio(music / "first.wav", seconds=0.2, freq=300.0)
    scan_library(ctx, [str(music)])
    run = Run(ctx, quiet=2.0)
    write_audio(music / "later.wav", seconds=0.2, freq=400.0)
    scan_library(ctx, [str(music)])  # the other watcher's batch, before this one's is taken
    wait_until(lambda: run.reports, "the batch")
    assert run.reports[0].empty and present(connect(ctx), music / "later.wav")
    assert run.stopped() == 0


@pytest.fixture
def sigint_ignored():
    """SIGINT ignored, as ``sh -c 'musicsage scan --watch &'`` starts the background run."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGINT, before)


def test_scan_watch_leaves_an_ignored_sigint_ignored(tmp_path, data_dir, monkeypatch,
                                                      sigint_ignored, capsys):
    """A Ctrl-C meant for the script that started the watch in the background stopped it."""
    import musicsage.usecases.watch as usecase

    write_audio(tmp_path / "music/one.wav", seconds=0.2)
    seen = []

    def fake_watch(ctx, paths, playlists, *, on_batch, on_ready, cancel, **_more):
        seen.append(signal.getsignal(signal.SIGINT))
        on_batch(WatchReport())  # a batch that changed nothing: not printed, not counted
        return 0

    monkeypatch.setattr(usecase, "watch_library", fake_watch)
    assert cli.main(["scan", str(tmp_path / "music"), "--watch", "--data-dir",
                     str(data_dir)]) == 0
    assert seen == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    out, err = capsys.readouterr()
    assert "nothing that changes the library" not in out
    assert err.rstrip().endswith("stopped watching after 0 updates")
