"""The search list's no-match line says a file's extension was left out, unless a word
typed has a dot: "ogg" in a library of Ogg files said no "file name" matched 'ogg'."""

from __future__ import annotations

from musicsage.controllers.search_words import no_match_line


def test_a_word_without_a_dot_is_told_the_extension_was_left_out():
    assert no_match_line("ogg") == ("no title, artist, album, album artist, genre or file name "
                                    "without its extension matches ‘ogg’")


def test_a_word_with_a_dot_is_told_the_whole_name_was_searched():
    assert no_match_line("song.ogg") == ("no title, artist, album, album artist, genre or file "
                                         "name matches ‘song.ogg’")
    assert no_match_line(". x").endswith("file name without its extension matches ‘. x’")
