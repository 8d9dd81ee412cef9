"""A demo whose library database is gone, a repaired demo's playlists, an unreadable music
folder, a full disk at the first write, a file-size limit, and the wait for another build:
each said in one line, nothing of the user's lost, the demo built again where it must be."""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from pathlib import Path

import pytest
import soundfile as sf

from musicsage.demo import guards
from musicsage.demo.guards import DEMO_LOCK_SUFFIX
from musicsage.demo.library import PLAYLIST_DIR, read_manifest, write_error
from musicsage.demo.state import STAGES, DemoState, read_state, state_path, write_state
from musicsage.errors import MusicsageError
from musicsage.library.db import close_thread_connections, connect
from musicsage.library.lock import WAIT_WORDS
from musicsage.progress import CancelToken
from musicsage.usecases.demo import build_demo, demo_status
from musicsage.usecases.library import library_stats

TINY = dict(seconds=1.0, audio_model="spectral", train_steps=20, workers=1)


def move_library_aside(ctx) -> None:
    """What the window advises for a damaged database: move it (and its -wal/-shm) away."""
    close_thread_connections()
    aside = ctx.data_dir / "aside"
    aside.mkdir()
    for path in ctx.data_dir.glob("library.sqlite3*"):
        if path.name in ("library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"):
            path.rename(aside / path.name)


@pytest.mark.parametrize("left", ["no database", "an empty database"])
def test_a_demo_whose_library_is_gone_is_scanned_and_trained_again(ctx, left):
    build_demo(ctx, n_tracks=8, **TINY)
    move_library_aside(ctx)
    if left == "an empty database":  # the window opened it meanwhile
        connect(ctx)
        close_thread_connections()
    status = demo_status(ctx)
    assert (status.state, status.next_stage) == ("partial", "scan"), "not 'ready' forever"

    again = build_demo(ctx, **TINY)
    assert not again.reused and again.complete
    assert list(again.stages) == list(STAGES[1:]), "the music is there: not rendered again"
    assert library_stats(ctx).tracks.total == 8
    assert "holds none of the demo's tracks" in again.notes[0]
    assert demo_status(ctx).state == "ready" and build_demo(ctx, **TINY).reused


def test_repairing_a_track_keeps_the_users_playlist_edits(ctx):
    first = build_demo(ctx, n_tracks=8, until="generate", **TINY)
    music = first.music_dir
    files = read_manifest(music)["files"]
    playlists = [f for f in files if f.startswith(PLAYLIST_DIR + "/")]
    edited, deleted = music / playlists[0], music / playlists[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "my own/track.flac\n",
                      encoding="utf-8")
    mine = edited.read_text(encoding="utf-8")
    theirs = deleted.read_text(encoding="utf-8")
    deleted.unlink()
    track = next(f for f in files if f not in playlists)
    (music / track).unlink()

    again = build_demo(ctx, **TINY)
    assert again.stages["generate"]["rendered"] == 1 and (music / track).is_file()
    assert edited.read_text(encoding="utf-8") == mine, "the user's own line stays"
    assert deleted.read_text(encoding="utf-8") == theirs, "a missing playlist is written again"


def test_an_unreadable_music_folder_is_one_line(ctx, monkeypatch):
    """As a user who cannot read the folder (chmod a-r): its manifest reads as none, and
    listing it fails (root reads anything, hence the stand-ins)."""
    build_demo(ctx, n_tracks=8, **TINY)
    music = Path(read_state(ctx.data_dir).music_dir)
    monkeypatch.setattr(guards, "read_manifest", lambda _m: None)
    real = Path.iterdir

    def iterdir(self):
        if self == music:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    for call in (lambda: demo_status(ctx), lambda: build_demo(ctx, **TINY)):
        with pytest.raises(MusicsageError) as refused:
            call()
        assert str(refused.value) == (f"cannot read the demo's music folder {music} "
                                      "(Permission denied): make it readable, then try again")


def test_a_full_disk_at_the_first_write_names_the_disk_and_leaves_no_part(tmp_path,
                                                                          monkeypatch):
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.endswith(".part"):
            real(self, "")  # opened, then nothing fits
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(MusicsageError) as refused:
        write_state(tmp_path, DemoState(str(tmp_path / "m"), "f", 8, 0, 1.0))
    assert str(refused.value) == (f"the disk holding {tmp_path} is full (No space left on "
                                  "device): make room on it, then try again")
    assert list(tmp_path.iterdir()) == [], "the .part it made is gone"
    assert not state_path(tmp_path).exists()


def raised(exc: BaseException) -> BaseException:
    """``exc`` as the write sees it: raised and caught, with no OS error behind it."""
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - handed back as it is
        return caught


@pytest.mark.parametrize("exc, detail", [
    (OSError(errno.EFBIG, "File too large"), "File too large"),
    (sf.LibsndfileError(2, "Error writing: "), "Error writing: System error."),
])
def test_a_file_size_limit_is_not_advice_on_permissions(tmp_path, exc, detail):
    """``ulimit -f``, a quota: libsndfile says "System error" (no errno) with room left."""
    message = str(write_error(tmp_path, raised(exc)))
    assert message == (f"cannot write the demo music into {tmp_path} ({detail}): a file could "
                       "not be written (disk full, quota or file-size limit?); make room or "
                       "raise the limit, then try again")
    assert "writable" not in message


@pytest.mark.parametrize("exc, detail", [
    ("mutagen", "unable to sync frame"),
    (sf.LibsndfileError(1, ""), "Format not recognised."),
])
def test_other_write_errors_keep_their_cause_and_no_disk_guess(tmp_path, exc, detail):
    """A tagging or format error is not a full disk: its own words, and the usual advice."""
    if exc == "mutagen":
        from mutagen import MutagenError

        exc = MutagenError("unable to sync frame")
    message = str(write_error(tmp_path, raised(exc)))
    assert message == (f"cannot write the demo music into {tmp_path} ({detail}): choose "
                       "another folder, or make this one writable, then try again")


def test_the_wait_for_another_build_has_no_stage_label(ctx):
    holder = os.open(f"{ctx.db_path}{DEMO_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another build of this library runs
    said, waiting = [], threading.Event()

    def progress(p) -> None:
        said.append(p.message)
        if WAIT_WORDS in (p.message or ""):
            waiting.set()

    worker = threading.Thread(target=lambda: build_demo(
        ctx, n_tracks=8, until="generate", progress=progress, cancel=CancelToken(), **TINY))
    worker.start()
    try:
        assert waiting.wait(60), said
    finally:
        os.close(holder)
        worker.join(120)
    wait = next(m for m in said if WAIT_WORDS in m)
    assert wait.startswith("another demo build of this library is running"), wait
    assert any(m.startswith("Composing and rendering music (1/6): ") for m in said)


def test_a_demo_too_small_to_learn_from_says_its_model_is_untrained(ctx):
    """8 tracks (the fewest): loss 0 at every step and HR@10 1.000 on 1 pair looked perfect;
    the build says the model kept its untrained weights, as ``train`` does."""
    from musicsage.graph.jobs import NOTHING_LEARNED

    rep = build_demo(ctx, n_tracks=8, **TINY)
    assert rep.notes == [NOTHING_LEARNED] and rep.stages["train"]["learned"] is False
