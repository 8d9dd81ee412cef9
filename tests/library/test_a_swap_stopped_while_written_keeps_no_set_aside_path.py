"""A swap's scan stopped at once (a second Ctrl-C or SIGTERM) while it adds the ring's moves
to its last batch: what was added so far was committed, the first move with the track still
at its path set aside to ``moving:<id>``, whose own move never came. That path is no file's,
so no scan could mend it: the song at it was read as a new track, its vectors and playlist
places left on the bogus path for good. Now a ring written part-way is not stored (the rest
of what the scan finished is, as before), the command says its one "interrupted" line, and
the next scan swaps the tracks."""

from __future__ import annotations

import pytest
from test_swapped_files_keep_their_songs import _library, _paths, _songs_followed, _turn

import musicsage.library.scan as scan_module
from musicsage.cli import main
from musicsage.library.db import connect
from musicsage.usecases.library import scan_library


class SecondCtrlC:
    """A second Ctrl-C landing between a ring's two writes, once :meth:`arm`-ed: at the
    second file the scan adds (the ring's files are added last)."""

    def __init__(self, monkeypatch) -> None:
        self.calls: int | None = None
        add_new = scan_module._add_new

        def stopping(*args, **kwargs):
            if self.calls is not None:
                self.calls += 1
                if self.calls == 2:
                    self.calls = None  # once
                    raise KeyboardInterrupt
            return add_new(*args, **kwargs)

        monkeypatch.setattr(scan_module, "_add_new", stopping)

    def arm(self) -> None:
        self.calls = 0


@pytest.fixture
def second_ctrl_c(monkeypatch) -> SecondCtrlC:
    return SecondCtrlC(monkeypatch)


def _set_aside(ctx) -> list:
    return connect(ctx).execute("SELECT id, path FROM tracks WHERE path NOT LIKE '/%'"
                                ).fetchall()


def test_a_swap_stopped_while_written_is_not_stored(ctx, conn, tmp_path, make_audio,
                                                    second_ctrl_c):
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    _turn(music, "ab")
    second_ctrl_c.arm()

    with pytest.raises(KeyboardInterrupt):  # the stop goes on, not another error
        scan_library(ctx)

    assert _set_aside(ctx) == []
    assert _paths(connect(ctx), music, ids) == {"a": "a.wav", "b": "b.wav"}
    report = scan_library(ctx)
    assert (report.added, report.updated, report.moved, report.missing) == (0, 0, 2, 0)
    assert _paths(conn, music, ids) == {"a": "b.wav", "b": "a.wav"}
    _songs_followed(conn, ids, "ab")


def test_the_command_says_one_line_and_the_next_scan_swaps(ctx, conn, tmp_path, make_audio,
                                                           capsys, second_ctrl_c):
    music, ids = _library(ctx, conn, tmp_path, make_audio)
    _turn(music, "ab")
    second_ctrl_c.arm()
    capsys.readouterr()

    assert main(["scan", "--data-dir", str(ctx.data_dir)]) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("musicsage scan: interrupted")
    assert "Traceback" not in err and "error" not in err
    assert _set_aside(ctx) == []

    assert main(["scan", "--data-dir", str(ctx.data_dir)]) == 0
    assert "2 moved" in capsys.readouterr().out
    _songs_followed(connect(ctx), ids, "ab")
