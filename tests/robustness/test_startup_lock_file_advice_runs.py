"""The line about a library lock file that cannot be opened gives the commands that fix it
(``sudo chown USER FILE; chmod 644 FILE``): a user pastes them. The ``chmod 644`` named no
file, so pasted it failed ("chmod: missing operand after '644'") and the lock file stayed
unwritable — the command refused again with the same line."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess

from musicsage.library.lock_open import lock_file_at_fault


def test_the_suggested_commands_make_the_lock_file_writable(tmp_path):
    folder = tmp_path / "my library é"  # a path the commands must quote
    folder.mkdir()
    folder.chmod(0o755)  # a folder of one's own, whatever the umask (002: a group's, other advice)
    lock = folder / "library.sqlite3.scan-lock"
    lock.write_text("598 scan")
    lock.chmod(0)  # its permissions changed since it was made (a chmod -R of the library)
    line = lock_file_at_fault(str(lock), PermissionError(errno.EACCES, "Permission denied"))
    assert line is not None
    fix = re.search(r"make it yours and writable \((.*?)\) or, when", line)
    assert fix, line
    commands = fix.group(1).replace("sudo ", "", 1)  # the tests run as the file's owner
    run = subprocess.run(["sh", "-c", commands], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, (commands, run.stderr)
    assert stat.S_IMODE(os.stat(lock).st_mode) == 0o644, commands
    assert lock.read_text() == "598 scan", "the fix leaves the file's text as it was"
