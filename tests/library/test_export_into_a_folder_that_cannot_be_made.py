"""``export DIR`` where DIR cannot be made or marked (a folder under ``/proc``, a path through
a file) says so in the one line of the other export refusals, "nothing was written", where it
ended on the bare OS message ("No such file or directory: /proc/x")."""

from __future__ import annotations

import errno
import sys

import pytest

from musicsage.cli import main
from musicsage.errors import MusicsageError
from musicsage.files import OUTPUT_MARKER, claim_output_dir


def test_a_folder_that_cannot_be_made_is_refused_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("mine\n")
    out = blocker / "sub" / "export"

    with pytest.raises(MusicsageError) as caught:
        claim_output_dir(out, ("tracks.csv",), "export")

    assert str(caught.value).startswith(f"cannot write into {out} (")
    assert str(caught.value).endswith("; choose another folder (nothing was written)")
    assert blocker.read_text() == "mine\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's /proc")
@pytest.mark.parametrize("where", ["/proc/musicsage-export", "/proc/self"])
def test_export_under_proc_says_one_line(ctx, capsys, where):
    from musicsage.library.db import connect

    connect(ctx).close()  # an (empty) library

    code = main(["--data-dir", str(ctx.data_dir), "export", where])
    captured = capsys.readouterr()

    assert code == 1 and captured.out == ""
    assert captured.err.startswith("musicsage export: cannot write into /proc/")
    assert captured.err.endswith("choose another folder (nothing was written)\n")
    assert captured.err.count("\n") == 1


def test_a_makeable_folder_is_still_made_and_marked(tmp_path):
    out = tmp_path / "new"
    claim_output_dir(out, ("tracks.csv",), "export")
    assert (out / OUTPUT_MARKER).is_file()


def failing_mark(monkeypatch, code: int, text: str) -> None:
    """The folder's mark cannot be written, with ``code`` (the folder itself could be made)."""
    def refuse(path, data, **_kwargs):
        raise OSError(code, text, str(path))
    monkeypatch.setattr("musicsage.files.replace_atomically", refuse)


def test_a_full_disk_gets_the_make_room_advice(ctx, capsys, tmp_path, monkeypatch):
    from musicsage.library.db import connect

    connect(ctx).close()  # an (empty) library
    out = tmp_path / "export"
    failing_mark(monkeypatch, errno.ENOSPC, "No space left on device")

    code = main(["--data-dir", str(ctx.data_dir), "export", str(out)])
    captured = capsys.readouterr()

    assert code == 1 and captured.err.count("\n") == 1
    assert f"the disk holding {out.resolve()} is full" in captured.err
    assert captured.err.endswith("make room and export again\n")
    assert not out.exists()  # the folder this export made, empty, went with it


def test_a_folder_made_then_not_marked_is_removed_again(tmp_path, monkeypatch):
    out = tmp_path / "new"
    failing_mark(monkeypatch, errno.EACCES, "Permission denied")

    with pytest.raises(MusicsageError, match="nothing was written"):
        claim_output_dir(out, ("tracks.csv",), "export")

    assert not out.exists()


def test_the_folders_made_above_it_are_removed_again_too(tmp_path, monkeypatch):
    """``mkdir -p`` made new/ and new/a/ as well as new/a/b: "nothing was written" must
    leave none of them behind, and never the folder that was there before."""
    out = tmp_path / "new" / "a" / "b"
    failing_mark(monkeypatch, errno.EACCES, "Permission denied")

    with pytest.raises(MusicsageError, match="nothing was written"):
        claim_output_dir(out, ("tracks.csv",), "export")

    assert not (tmp_path / "new").exists()
    assert tmp_path.is_dir()


def test_a_folder_above_that_gained_a_file_stays(tmp_path, monkeypatch):
    """Only empty folders go: one that holds something (not ours) stops the removal."""
    out = tmp_path / "new" / "a"

    def refuse(path, data, **_kwargs):
        (tmp_path / "new" / "someone-else.txt").write_text("theirs\n")
        raise OSError(errno.EACCES, "Permission denied", str(path))
    monkeypatch.setattr("musicsage.files.replace_atomically", refuse)

    with pytest.raises(MusicsageError, match="nothing was written"):
        claim_output_dir(out, ("tracks.csv",), "export")

    assert not out.exists()
    assert (tmp_path / "new" / "someone-else.txt").read_text() == "theirs\n"


def test_a_folder_that_was_there_stays_when_it_cannot_be_marked(tmp_path, monkeypatch):
    out = tmp_path / "mine"
    out.mkdir()
    failing_mark(monkeypatch, errno.EACCES, "Permission denied")

    with pytest.raises(MusicsageError, match="nothing was written"):
        claim_output_dir(out, ("tracks.csv",), "export")

    assert out.is_dir()


def test_the_option_that_named_the_folder_is_said(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("mine\n")
    out = blocker / "run"

    with pytest.raises(MusicsageError) as caught:
        claim_output_dir(out, ("embeddings.npy",), "train", "--out")

    assert str(caught.value).startswith(f"cannot write into --out {out} (")
