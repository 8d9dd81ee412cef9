"""A file in the way of the models folder a weights download goes to is said in one line.

``embed --model openl3`` with a file named like the models folder (or like a folder above it)
ended in a bare "musicsage embed: File exists: …/models": neither that a file was in the way
nor what to do; a link above it that leads nowhere (a drive unplugged) is named too. No network: nothing is asked of the (closed) local port.
"""

from __future__ import annotations

import pytest

from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights


def test_a_file_in_the_way_of_the_models_folder_is_said_so(tmp_path):
    in_the_way = tmp_path / "models"
    in_the_way.write_bytes(b"not a folder")
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), in_the_way, base="http://127.0.0.1:9/")
    message = str(caught.value)
    assert f"cannot make the models folder {in_the_way}: a file is in the way" in message
    assert "move it away" in message and "\n" not in message
    assert in_the_way.read_bytes() == b"not a folder"  # never the app's to remove


def test_a_file_above_the_models_folder_is_named(tmp_path):
    in_the_way = tmp_path / "cache"  # where the folders above the models folder would be
    in_the_way.write_bytes(b"not a folder")
    models = in_the_way / "musicsage" / "models"
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), models, base="http://127.0.0.1:9/")
    message = str(caught.value)
    assert f"cannot make the models folder {models}: the file {in_the_way} is in the way" \
        in message
    assert "move it away" in message and "\n" not in message
    assert in_the_way.read_bytes() == b"not a folder"


def test_a_link_above_the_models_folder_that_leads_nowhere_is_named(tmp_path):
    """``~/.cache`` a link to a drive that is unplugged: "File exists" named no file, and
    the link, there as a link alone, was not found as what is in the way."""
    link = tmp_path / "cache"
    link.symlink_to(tmp_path / "unplugged" / "cache")
    models = link / "musicsage" / "models"
    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), models, base="http://127.0.0.1:9/")
    message = str(caught.value)
    assert (f"cannot make the models folder {models}: the link {link} leads nowhere (to "
            f"{tmp_path}/unplugged/cache, which is not there): plug in the drive it leads to, "
            "or move the link away and run it again") in message
    assert "\n" not in message
    assert link.is_symlink() and not (tmp_path / "unplugged").exists()  # nothing made
