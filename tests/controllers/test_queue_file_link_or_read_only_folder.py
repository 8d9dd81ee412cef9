"""A ``queue.json`` that is a link (to a folder, to a FIFO, to itself): the link is set aside
before the first new queue is written, what it points to left untouched — the link was
followed, found "not a file", and no queue was kept again. A library folder that cannot be
written: the start line says the file is left as it is, and no more — it promised a
set-aside that never came. No window, no Qt."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from musicsage.usecases.queue_file import QUEUE_FILE, read_saved_queue


def _opened(make_app, ctx):
    app, runner = make_app(ctx)
    app.library.reload()
    runner.drain()
    return app


def _queue_lines(app) -> list[str]:
    return [text for _level, text in app.notifications
            if "queue" in text.lower() and not text.startswith("Queued")]


@pytest.mark.parametrize("kind", ["folder", "fifo", "itself"])
def test_a_link_is_set_aside_and_the_queue_kept(library, make_app, tmp_path, kind):
    folder, path = library.data_dir, library.data_dir / QUEUE_FILE
    target = {"folder": tmp_path / "Music2", "fifo": tmp_path / "pipe",
              "itself": path}[kind]
    if kind == "folder":
        target.mkdir()
        (target / "a.txt").write_text("mine")
    elif kind == "fifo":
        os.mkfifo(target)
    path.symlink_to(target)
    app = _opened(make_app, library)
    aside = folder / "queue.json.unreadable"
    [line] = _queue_lines(app)
    assert line.endswith(f"set aside as {aside} once a new queue is kept"), line
    ids = [t.id for t in app.library.snapshot.tracks[:2]]
    app.queue.add_to_queue(*ids)
    app.close()
    assert _queue_lines(app) == [line], "nothing more said"
    assert read_saved_queue(folder).tracks == tuple(ids), "the queue was not kept"
    assert os.readlink(aside) == str(target), "the link itself is set aside"
    if kind == "folder":
        assert (target / "a.txt").read_text() == "mine"
    elif kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)


def _read_only(monkeypatch, *, seen: bool) -> None:
    """Writes in the library's folder fail as on a read-only mount (the tests run as root:
    no real one); ``seen``: :func:`os.access` says so too, as it does on one."""
    def erofs(*_args, **_kw):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    for name in ("link", "rename", "replace"):
        monkeypatch.setattr(os, name, erofs)
    if seen:
        access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: (
            False if mode & os.W_OK else access(p, mode, **kw)))


def test_a_read_only_library_promises_no_set_aside(library, make_app, monkeypatch):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(b"not json")
    _read_only(monkeypatch, seen=True)
    app = _opened(make_app, library)
    app.queue.add_to_queue(app.library.snapshot.tracks[0].id)
    app.close()
    assert _queue_lines(app) == [f"The queue was not restored: {path} is not a queue file: "
                                 "it is damaged or cut short; the file is left as it is"]
    assert path.read_bytes() == b"not json"


def test_a_set_aside_promised_and_refused_is_said(library, make_app, monkeypatch):
    path = library.data_dir / QUEUE_FILE
    path.write_bytes(b"not json")
    _read_only(monkeypatch, seen=False)
    app = _opened(make_app, library)
    for track in app.library.snapshot.tracks[:2]:  # two changes: one line
        app.queue.add_to_queue(track.id)
    app.close()
    assert _queue_lines(app)[1:] == [
        f"The queue will not be kept for the next start: {path} cannot be set aside "
        f"({os.strerror(errno.EROFS)})"]
    assert path.read_bytes() == b"not json"
