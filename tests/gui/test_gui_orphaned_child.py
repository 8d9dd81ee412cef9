"""A background process must not outlive a window process that was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

PARENT = textwrap.dedent('''
    import sys, time
    from musicsage.processes import run_in_process

    def busy(*, progress=None, cancel=None):
        while not cancel.cancelled:
            time.sleep(0.05)
        raise SystemExit(0)

    def report(p):
        pass

    if __name__ == "__main__":
        import multiprocessing as mp
        import threading
        threading.Thread(target=run_in_process, args=(busy,), kwargs={"progress": report},
                         daemon=True).start()
        while not mp.active_children():
            time.sleep(0.05)
        print(mp.active_children()[0].pid, flush=True)
        time.sleep(600)
''')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_child_exits_when_the_window_process_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child_pid = int(parent.stdout.readline())
        assert _alive(child_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 30
        while _alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        state = subprocess.run(["ps", "-o", "pid,ppid,stat,etime,args", "-p", str(child_pid)],
                               capture_output=True, text=True).stdout
        assert not _alive(child_pid), f"the background process outlived its killed parent:\n{state}"
    finally:
        if parent.poll() is None:
            parent.kill()
