"""A memberships.csv id that differs from a tracks.csv id only where a reader cannot see it —
``café`` written as ``e`` plus a combining accent (as files made on macOS often are), a
zero-width space, another case, the same number written another way (``7`` and ``007``) — is
not that track: ids must match exactly. ``train``/``eval
--dataset`` refused it, and ``import`` noted it, naming ``'café'`` beside a tracks.csv that
shows ``café``, which read as a bug; both now name the tracks.csv id it looks like and how it
differs."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from musicsage.cli import main

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


def _dataset(d: Path, member_id: str) -> Path:
    """24 tracks (the first named ``café`` in its composed form) in three playlists, one row
    of memberships.csv naming ``member_id`` instead."""
    d.mkdir()
    ids = [NFC] + [f"t{i}" for i in range(1, 24)]
    with open(d / "tracks.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["track_id"]] + [[key] for key in ids])
    with open(d / "memberships.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["playlist_id", "track_id"]] + [
            [f"p{i % 3}", member_id if i == 0 else key] for i, key in enumerate(ids)])
    np.save(d / "features.npy", np.random.default_rng(0).normal(size=(24, 4))
            .astype(np.float32))
    return d


@pytest.mark.parametrize("member_id, how", [
    (NFD, "the same text in another Unicode form: 'cafe\\u0301' against 'caf\\xe9'"),
    (NFC + "\u200b", "the same but for invisible or look-alike characters: "
                     "'caf\\xe9\\u200b' against 'caf\\xe9'"),
    ("CAFÉ", "in another case"),
])
def test_train_names_the_tracks_csv_id_a_membership_only_looks_like(tmp_path, capsys,
                                                                     member_id, how):
    d = _dataset(tmp_path / "ds", member_id)
    rc = main(["train", "--dataset", str(d), "--out", str(tmp_path / "out"),
               "--max-steps", "2", "--json"])
    assert rc == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "(line 2, track_id " in err[0]
    assert err[0].endswith(f"; tracks.csv has 'café' ({how}): ids must match exactly")
    assert not (tmp_path / "out").exists()


def test_an_id_unlike_any_other_gets_no_such_words(tmp_path, capsys):
    d = _dataset(tmp_path / "ds", "tea")
    assert main(["eval", "--dataset", str(d), "--seeds", "1", "--max-steps", "2"]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.endswith("(line 2, track_id 'tea')")


def test_import_notes_the_tracks_csv_id_a_membership_only_looks_like(tmp_path, capsys):
    d = _dataset(tmp_path / "ds", NFD)
    assert main(["--data-dir", str(tmp_path / "lib"), "import", str(d)]) == 0
    said = capsys.readouterr()
    assert ("kept as unresolved entries; tracks.csv has 'café' (the same text in another "
            "Unicode form: 'cafe\\u0301' against 'caf\\xe9'): ids must match exactly)") in said.out + said.err


@pytest.mark.parametrize("track_id, member_id", [("007", "7"), ("7.0", "7"), ("7", "007")])
def test_train_names_the_tracks_csv_id_that_writes_the_same_number(tmp_path, capsys,
                                                                  track_id, member_id):
    """Ids are text: "7" is not "007", nor pandas' "7.0" (a column of whole numbers with a
    gap in it, written as floats); the refusal says which id of tracks.csv was meant."""
    d = tmp_path / "ds"
    d.mkdir()
    ids = [track_id] + [f"t{i}" for i in range(1, 24)]
    (d / "tracks.csv").write_text("track_id\n" + "".join(f"{key}\n" for key in ids))
    (d / "memberships.csv").write_text("playlist_id,track_id\n" + "".join(
        f"p{i % 3},{member_id if i == 0 else key}\n" for i, key in enumerate(ids)))
    np.save(d / "features.npy", np.ones((24, 4), np.float32))
    assert main(["eval", "--dataset", str(d), "--seeds", "1", "--max-steps", "2"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(
        f"(line 2, track_id {member_id!r}); tracks.csv has {track_id!r} (the same number "
        "written another way): ids are text and must match exactly")


def test_ids_past_a_float_s_precision_are_not_the_same_number():
    """Above 2**53 a float holds neither id exactly: two ids differing in their last digit
    were called "the same number written another way"."""
    from musicsage.library.dataset_read import lookalike_hint

    assert lookalike_hint("12345678901234567891", ["12345678901234567890"]) == ""
    assert lookalike_hint("12345678901234567890.0", ["12345678901234567890"]) == (
        "; tracks.csv has '12345678901234567890' (the same number written another way): "
        "ids are text and must match exactly")


@pytest.mark.parametrize("member_id, near, how", [
    ("CAFE\u0301", NFC, "in another case and Unicode form: 'CAFE\\u0301' against 'caf\\xe9'"),
    ("\uff211", "a1", "in another case and with invisible or look-alike characters: "
                      "'\\uff211' against 'a1'"),
    ("CAFÉ", NFC, "in another case"),
])
def test_an_id_in_another_case_and_form_names_both(member_id, near, how):
    """"In another case" alone, of an id whose accent is also written apart (or whose letter
    is a full-width one), hid the difference a reader cannot see."""
    from musicsage.library.dataset_read import lookalike_hint

    assert lookalike_hint(member_id, ["t1", near]) == (
        f"; tracks.csv has {near!r} ({how}): ids must match exactly")
