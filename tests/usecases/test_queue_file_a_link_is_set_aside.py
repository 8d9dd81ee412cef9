"""A link at ``queue.json`` is in a new queue's way whatever it points to (a folder, a FIFO,
itself): :func:`in_the_way` looks at the link, not through it, and :func:`set_aside` moves the
link, never what it points to. Followed, a link to a folder or a FIFO was "not a file" and a
loop an error: no queue was ever written again."""

from __future__ import annotations

import os
import stat

from musicsage.usecases.queue_file import QUEUE_FILE, in_the_way, set_aside


def test_a_link_to_a_folder_a_fifo_or_itself_is_set_aside(tmp_path):
    (tmp_path / "Music2").mkdir()
    os.mkfifo(tmp_path / "pipe")
    for n, target in enumerate((tmp_path / "Music2", tmp_path / "pipe", tmp_path / QUEUE_FILE),
                               start=1):
        (tmp_path / QUEUE_FILE).symlink_to(target)
        assert in_the_way(tmp_path) is True
        aside = set_aside(tmp_path)
        assert aside.name == "queue.json.unreadable" + (f"-{n}" if n > 1 else "")
        assert os.readlink(aside) == str(target) and not os.path.lexists(tmp_path / QUEUE_FILE)
    assert (tmp_path / "Music2").is_dir() and stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)
