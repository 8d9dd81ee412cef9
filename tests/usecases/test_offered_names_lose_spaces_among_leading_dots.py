"""A title whose leading dots stand among spaces of other kinds (". \u3000x") was offered as
"\u3000x.m3u8": the dots went, and the U+3000 they bared led the file's name. Dots and
spaces go until neither leads (". \u3000.x" must not end as the hidden ".x")."""

from __future__ import annotations

import pytest

from musicsage.usecases.playlist_names import playlist_file_name


@pytest.mark.parametrize("title, name", [(". \u3000x", "x.m3u8"),
                                         (".\u00a0Blue", "Blue.m3u8"),
                                         (". \u3000.x", "x.m3u8"),
                                         (".\u3000.\u00a0.", "Playlist.m3u8"),
                                         ("\u3000.東京\u3000タワー", "東京\u3000タワー.m3u8")])
def test_no_space_nor_dot_leads_the_offered_name(title, name):
    assert playlist_file_name(title) == name
