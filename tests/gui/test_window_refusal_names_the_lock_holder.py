"""The window's refusal to show a library another window holds names that window's process as
the kernel names the lock's holder, as a second launch's line does.

The window used only the pid written in the lock file, which may be another's (another
machine's, another pid namespace's, an earlier window's): its line could name a process that
has nothing to do with the library, while the terminal's named the right one.
"""

from __future__ import annotations

import os

import pytest

from musicsage.gui.single_instance import LOCK_NAME, LibraryClaims, SingleInstance

pytestmark = pytest.mark.skipif(not os.path.isfile("/proc/locks"),
                                reason="reads the holder in /proc/locks")


@pytest.fixture
def run_dir(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def test_the_window_names_the_lock_holder_not_a_stale_pid_in_the_lock(tmp_path, run_dir, qapp):
    other = tmp_path / "other library"
    other.mkdir()
    holder = SingleInstance(other)  # another window shows it (this process holds its lock)
    assert holder.claim()
    stale = os.getpid() + 100_000  # an earlier window's pid, left in the lock file
    (other / LOCK_NAME).write_text(str(stale), encoding="ascii")
    own = tmp_path / "my library"
    own.mkdir()
    claims = LibraryClaims(SingleInstance(own))
    try:
        refusal = claims.claim(type("Ctx", (), {"data_dir": other})())
    finally:
        claims.release()
        holder.release()
    assert refusal == (f"The library {other} is already open in another window "
                       f"(process {os.getpid()}): switch to that window")
