"""What the player says of a file FFmpeg refuses to open: one line a listener reads. A damaged
Monkey's Audio header made FFmpeg answer EINVAL, and the player said "cannot play x.ape:
Invalid argument", as if the app had passed a wrong value."""

from __future__ import annotations

import pytest

from musicsage.errors import MusicsageError
from musicsage.playback import default_decoder


@pytest.mark.parametrize("name, data", [
    ("damaged.ape", b"MAC \x96\x0f" + bytes(range(256)) * 12),
    ("damaged.mpc", b"MPCK" + bytes(range(256)) * 12),
])
def test_a_file_ffmpeg_cannot_open_is_said_to_be_unreadable(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(MusicsageError) as failed:
        default_decoder(str(path))
    assert str(failed.value) == (f"cannot play {name}: not a readable audio file "
                                 "(damaged, or not audio?)")
