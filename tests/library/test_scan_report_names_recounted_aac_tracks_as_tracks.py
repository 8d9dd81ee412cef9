"""The one line that sums up more than 20 lengths counted again names them by their format only
where they all have it: raw AAC files touched since an older scan are counted again too, and
22 ``.aac`` files were summed up as "22 MP3 tracks"."""

from __future__ import annotations

from musicsage.library.scan_report import RECOUNTED_START, summed_up_notes

NOTE = f"{RECOUNTED_START}11.0 s (stored: 163.6 s): its vectors (if any) were dropped"


def _line(names: list[str]) -> str:
    listed, line = summed_up_notes([(f"/music/{name}", NOTE) for name in names])
    assert listed == []
    return line


def test_recounted_aac_tracks_are_not_called_mp3():
    line = _line([f"vbr{i:02d}.aac" for i in range(22)])
    assert line.startswith("22 tracks (vbr00.aac, vbr01.aac, vbr02.aac …) had a length"), line
    assert "MP3" not in line


def test_mp3_and_aac_together_are_tracks_and_mp3_alone_still_mp3_tracks():
    mixed = _line([f"rip{i:02d}.mp3" for i in range(21)] + ["vbr.aac"])
    assert mixed.startswith("22 tracks (rip00.mp3"), mixed
    alone = _line([f"rip{i:02d}.MP3" for i in range(21)])
    assert alone.startswith("21 MP3 tracks (rip00.MP3"), alone
