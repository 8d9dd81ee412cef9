"""A ``file://`` URI given for a path keeps a raw ``#`` or ``?`` in its name: ``export`` and
``--m3u`` wrote into the parent folder and ``forget`` aimed at another one when the URI was
cut at the ``#`` as a URL's fragment."""

import pytest

from musicsage.errors import MusicsageError
from musicsage.library.paths import typed_path


@pytest.mark.parametrize("uri, path", [
    ("file:///tmp/x/#1 Hit.mp3", "/tmp/x/#1 Hit.mp3"),
    ("file://localhost/m/Music#2", "/m/Music#2"),
    ("file:///m/what?.m3u8", "/m/what?.m3u8"),
    ("FILE:///x/%C3%BC%20y", "/x/ü y"),
    ("file:/tmp/a", "/tmp/a"),
])
def test_a_file_uri_is_its_whole_path(uri, path):
    assert typed_path(uri) == path


def test_another_machines_file_is_refused():
    with pytest.raises(MusicsageError, match="another machine"):
        typed_path("file://nas/music#1")
