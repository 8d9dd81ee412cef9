"""The name "Save as playlist" offers is a file a person sees and reads on one line: a queue
named after ".NET Jams" was offered as a hidden file (``.NET Jams.m3u8``, which file managers
and the save dialog hide), ".." as ``...m3u8``, and a line separator (U+2028) in a title
stayed in the name, breaking it in two wherever it is listed. Dots after a space (". . .x")
hid the file all the same, and a tab among spaces left a gap of three. A title's own spaces
(U+3000 between Japanese words, a no-break space) are no line break and stay as written;
at its ends they go, as ASCII spaces do (a title of one U+3000 was offered as "\u3000.m3u8")."""

from __future__ import annotations

import pytest

from musicsage.usecases.playlist_names import playlist_file_name


@pytest.mark.parametrize("title, name", [(".NET Jams", "NET Jams.m3u8"),
                                         ("..", "Playlist.m3u8"),
                                         (" . ", "Playlist.m3u8"),
                                         ("...And Justice", "And Justice.m3u8"),
                                         ("Road\u2028trip\u2029two", "Road trip two.m3u8"),
                                         ("Mr. Brightside.", "Mr. Brightside..m3u8"),
                                         (". . .hidden", "hidden.m3u8"),
                                         ("Road \t trip", "Road trip.m3u8"),
                                         ("東京\u3000タワー", "東京\u3000タワー.m3u8"),
                                         ("Mr.\u00a0Blue", "Mr.\u00a0Blue.m3u8"),
                                         ("\u3000", "Playlist.m3u8"),
                                         ("\u3000東京\u3000タワー\u00a0", "東京\u3000タワー.m3u8")])
def test_the_offered_name_is_not_hidden_and_stays_on_one_line(title, name):
    assert playlist_file_name(title) == name
