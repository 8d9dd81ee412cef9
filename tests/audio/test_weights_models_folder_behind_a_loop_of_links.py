"""A loop of links in the way of the models folder an OpenL3 weights download goes to
(``~/.cache`` a link to itself, or two links to each other) is said in one line, as a file
or a link leading nowhere is, where ``embed`` ended in the raw OS error ("Too many levels of
symbolic links"). No network: nothing is asked of the (closed) local port."""

from __future__ import annotations

import pytest

from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import DownloadError, download_weights


@pytest.mark.parametrize("loop", ["itself", "each other"])
def test_a_loop_of_links_above_the_models_folder_is_named(tmp_path, loop):
    link = tmp_path / "cache"
    if loop == "itself":
        link.symlink_to(link)
    else:
        link.symlink_to(tmp_path / "other")
        (tmp_path / "other").symlink_to(link)
    models = link / "musicsage" / "models"

    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), models, base="http://127.0.0.1:9/")

    message = str(caught.value)
    assert (f"cannot make the models folder {models}: the link {link} leads round a loop of "
            "links: move the link away and run it again") in message
    assert "\n" not in message
    assert link.is_symlink()  # never the app's to remove


def test_a_models_folder_that_is_itself_a_loop_of_links_is_named(tmp_path):
    """The folder itself a link in a loop: mkdir says it exists, and the line said the link
    "leads nowhere (to other, which is not there)" of a link whose target is there."""
    models = tmp_path / "models"
    models.symlink_to(tmp_path / "other")
    (tmp_path / "other").symlink_to(models)

    with pytest.raises(DownloadError) as caught:
        download_weights(parse_variant(None), models, base="http://127.0.0.1:9/")

    assert (f"the link {models} leads round a loop of links: move the link away and run it "
            "again") in str(caught.value)
