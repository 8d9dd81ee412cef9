"""``radio`` of a seed whose stored audio vector is damaged and whose file the last scan could
not read (task fix_searchadv): it was told "an embed analyses it again", an embed that only
fails on it again; the scan's failure is said, as for a seed without a vector."""

from __future__ import annotations

from test_fix_searchadv_members_failed import WHY, _failed
from test_usecases2_damaged_query_vector import _a_track, _damage

from musicsage.errors import EMBED_HINT
from musicsage.usecases.spaces import SearchSpaces


def test_a_damaged_seed_whose_file_the_scan_could_not_read_is_not_sent_to_embed(library):
    from musicsage.usecases.radio import radio_start

    track = _a_track(library)
    _damage(library, track, "nan")
    _failed(library, [track], "scan")
    said = radio_start(library, track, 5, spaces=SearchSpaces(library))
    assert isinstance(said, str), said
    assert EMBED_HINT not in said, said
    assert said == ("the seed track has no audio embedding: the last scan could not read its "
                    f"file: {WHY}"), said
