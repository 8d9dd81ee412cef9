"""What training needs (:func:`~musicsage.graph.reports.training_need`), the one decision
behind ``models``, ``similar`` and the window's Retrain: a library of one-track playlists
(20 memberships, enough by count) was offered a training that refuses "no two tracks share a
playlist"; a library with no track at all was told to import playlists, which could name
none, where ``train`` says to scan a music folder first."""

from __future__ import annotations

from types import SimpleNamespace

from musicsage.controllers.training import retrain_blocked
from musicsage.graph.reports import MIN_MEMBERSHIPS, training_need

ONE_TRACK_EACH = [(p, p) for p in range(MIN_MEMBERSHIPS)]


def test_one_track_playlists_need_playlists_of_two_in_both_front_ends():
    for cli in (False, True):
        why = training_need(ONE_TRACK_EACH, usable=MIN_MEMBERSHIPS, unresolved=False, cli=cli)
        assert why is not None and why.startswith("needs playlists of at least two tracks: ")
        assert why.endswith("put more tracks in playlists" + (  # dgi: the command line's
            " (or train with --objective dgi, which needs none)" if cli else ""))


def test_one_shared_playlist_is_enough_for_the_rule():
    pairs = [(0, MIN_MEMBERSHIPS), *ONE_TRACK_EACH]  # playlist 0 holds tracks 0 and 20
    assert training_need(pairs, usable=len(pairs), unresolved=False) is None


def test_the_window_s_retrain_is_not_offered_for_one_track_playlists():
    snap = SimpleNamespace(empty=False, memberships=ONE_TRACK_EACH, playlists=[],
                           usable_memberships=MIN_MEMBERSHIPS,
                           stats=SimpleNamespace(embeddings={"spectral": MIN_MEMBERSHIPS}))
    blocked = retrain_blocked(snap)
    assert blocked is not None and blocked.startswith(
        "Retrain needs playlists of at least two tracks")


def test_no_tracks_is_said_before_playlists_in_each_front_end_s_words():
    assert training_need([], usable=None, unresolved=False, tracks=False, cli=True) == (
        "needs tracks, and the library has none: scan a music folder first, e.g. "
        "`musicsage scan ~/Music`")
    assert training_need([], usable=None, unresolved=True, tracks=False) == (
        "needs tracks, and the library has none: add a music folder first "
        "(File ▸ Add music folder…)")
