"""A damaged download that is another user's, in a shared sticky folder (mode 1777, as
``/tmp`` or a shared drop folder), is not told "delete it": this user may write the folder
but not delete others' files in it (``EPERM``), so "delete it" failed when followed. Their
own damaged file there is still told "delete it", and deleting it works.

Played for real, not with a patched ``os.access``: the test runs as root, and a forked child
turns into the user ``nobody`` (uid 65534) before asking. The child reaches the folder as its
working directory (pytest's temporary folders are root's alone), so paths are relative.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

from musicsage.audio.musicnn import wheel as W
from musicsage.audio.musicnn.wheel_advice import not_usable
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import DamagedWeights, cached_source

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0,
                                reason="acting as another user needs root (and fork)")
NOBODY = 65534
MODEL_ID = "musicnn-msd-max_pool"
VARIANT = variants.parse_variant(None)
H5 = VARIANT.weights_stem + ".h5.gz"


def _as_nobody(folder: Path, work: Callable[[], dict]) -> dict:
    """What ``work()`` returns when run as ``nobody`` with ``folder`` as working directory."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            os.chdir(folder)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            answer = json.dumps(work())
            code = 0
        except BaseException as exc:  # noqa: BLE001 (said to the parent, which fails)
            answer = json.dumps({"error": repr(exc)})
        finally:
            os.write(write, answer.encode())
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = json.loads(pipe.read().decode() or "{}")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, said
    return said


def _told_then_deleted() -> dict:
    """What the wheel's and OpenL3's lines say of the damaged files here, then whether
    deleting each (the advice followed) works."""
    told = {"wheel": not_usable(Path(W.WHEEL_NAME), MODEL_ID, [Path(".")], W.HOW_TO_GET)}
    try:
        cached_source(Path("."), VARIANT)
        told["openl3"] = "no error"
    except DamagedWeights as exc:
        told["openl3"] = str(exc)
    for key, name in (("wheel", W.WHEEL_NAME), ("openl3", H5)):
        try:
            Path(name).unlink()
            told[key + " deleted"] = True
        except PermissionError:
            told[key + " deleted"] = False
    return told


@pytest.fixture
def shared(tmp_path) -> Path:
    """A sticky folder anyone may write, as a shared ``$MUSICSAGE_WEIGHTS_DIR`` may be."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o1777)
    return folder


def test_another_users_damaged_files_in_a_sticky_folder_are_not_told_delete_it(shared):
    (shared / W.WHEEL_NAME).write_bytes(b"<html>not a wheel</html>")  # root's
    (shared / H5).write_bytes(b"\x1f\x8b cut short")
    for name in (W.WHEEL_NAME, H5):
        (shared / name).chmod(0o644)
    told = _as_nobody(shared, _told_then_deleted)
    assert told["wheel deleted"] is False and told["openl3 deleted"] is False, told
    for key in ("wheel", "openl3"):
        assert ": delete it" not in told[key], told[key]
        assert "a shared folder where only its owner may delete it" in told[key], told[key]
    assert "set $MUSICSAGE_WEIGHTS_DIR to a folder you can write" in told["wheel"], told
    assert "pass --openl3-weights PATH" in told["openl3"], told


def test_the_users_own_damaged_files_in_a_sticky_folder_are_still_told_delete_it(shared):
    def own_files_then_told() -> dict:
        Path(W.WHEEL_NAME).write_bytes(b"<html>not a wheel</html>")  # as nobody: theirs
        Path(H5).write_bytes(b"\x1f\x8b cut short")
        return _told_then_deleted()

    told = _as_nobody(shared, own_files_then_told)
    assert told["wheel"].endswith(f"delete it (embed --model {MODEL_ID} downloads it again)"), \
        told
    assert told["openl3"].endswith(f"delete it (embed --model {VARIANT.model_id} downloads "
                                   "it again)"), told
    assert told["wheel deleted"] is True and told["openl3 deleted"] is True, told
