"""A QUERY naming a file whose name is not UTF-8 (a Latin-1 name from an old disk) is said
the way the rest of the app shows such a name: each odd byte as U+FFFD. ``similar``/``radio``
said ``…/bad\\udcff.mp3 could not be read by the scan``, Python's escape for the byte, which a
user cannot type back and the window cannot draw."""

from __future__ import annotations

import os

import pytest

from musicsage.cli import main


@pytest.fixture
def odd_music(tmp_path):
    """A scanned folder with one readable track, one unreadable ``bad\\xff.mp3`` and a
    subfolder ``sub\\xff``; ``gone\\xff.wav`` beside it, not in the library."""
    import numpy as np
    import soundfile as sf

    folder = os.path.join(os.fsencode(tmp_path), b"music")
    try:
        os.makedirs(os.path.join(folder, b"sub\xff"))
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses a file name that is not UTF-8")
    tone = 0.3 * np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000)
    sf.write(os.path.join(folder, b"song.wav"), tone.astype(np.float32), 16000)
    with open(os.path.join(folder, b"bad\xff.mp3"), "wb") as fh:
        fh.write(b"not audio at all\n" * 40)
    open(os.path.join(os.fsencode(tmp_path), b"gone\xff.wav"), "wb").close()
    data = ["--data-dir", str(tmp_path / "data")]
    main(["scan", os.fsdecode(folder), *data])
    return os.fsdecode(folder), data


@pytest.mark.parametrize("command", ["similar", "radio"])
@pytest.mark.parametrize("query, said", [
    ("{music}/bad\udcff.mp3", "{music}/bad\ufffd.mp3 could not be read by the scan"),
    ("{music}/sub\udcff", "{music}/sub\ufffd is a folder, not a track"),
    ("{music}/../gone\udcff.wav", "{music}/../gone\ufffd.wav is not in the library"),
    ("zz\udcff", "no track matches 'zz\ufffd'"),
])
def test_odd_name_in_query_is_shown_readably(odd_music, capsys, command, query, said):
    music, data = odd_music
    capsys.readouterr()
    assert main([command, query.format(music=music), *data]) == 1
    err = capsys.readouterr().err
    assert said.format(music=music) in err
    assert "\\udc" not in err and not any(0xDC80 <= ord(c) <= 0xDCFF for c in err)


def test_file_uri_of_odd_name_is_shown_readably(odd_music, capsys):
    music, data = odd_music
    capsys.readouterr()
    assert main(["similar", f"file://{music}/bad%FF.mp3", *data]) == 1
    assert f"{music}/bad\ufffd.mp3 could not be read" in capsys.readouterr().err
