"""The one-time re-read of the tags an older version misread (library/tag_reread.py) changes
only the values that version misread: a title an ``import`` of a dataset dir set is kept (it
was written back from the file, "an older version misread them"); it reads the MP3s whose
APEv2 tag gave their album artist, genre or year, and runs of U+3000; it reports progress
under its own stage (a folder watch stopped during it said "of 6 files found" for one file);
it asks later scans only about the tracks it could not reach, and of those not about the ones
stored missing until a scan finds them; a watch batch whose news is tags read again is said,
not dropped as empty; each "?" of an ID3v1 field is one character ("What??" is no cut of
"Whatever Happened"); an APEv2 tag before a Lyrics3v2 block is reached."""

from __future__ import annotations

import os

import pytest
from test_more_formats import _made
from test_mp3_apev2_tags_are_read import LONG, _mp3

from musicsage.controllers.wording import stage_words
from musicsage.library import scan_report, scan_write, tag_reread
from musicsage.library import tags as tags_mod
from musicsage.library.dataset import import_dataset
from musicsage.library.queries import get_setting, set_setting
from musicsage.library.scan import resolve_roots, scan_roots
from musicsage.library.scan_report import ScanReport
from musicsage.library.tag_reread import REREAD_KEY, STAGE, misread, reread_note, reread_old_tags
from musicsage.library.watch import plan_watch
from musicsage.library.watch_apply import BatchStopped, WatchReport, apply_changes
from musicsage.library.watch_events import Batch
from musicsage.progress import CancelToken


def as_before_the_upgrade(conn, values: dict[str, object]) -> None:
    """Every track's ``values`` as an older version stored them, the re-read not run yet."""
    if values:
        sets = ", ".join(f"{c} = ?" for c in values)
        conn.execute(f"UPDATE tracks SET {sets}", list(values.values()))
    set_setting(conn, REREAD_KEY, None)
    conn.commit()


def reading(read: list[str]):
    """The scan's prober, keeping the names of the files it reads in ``read``."""
    def probe(fs_path, fmt=None):
        read.append(os.path.basename(fs_path))
        return tags_mod.probe(fs_path, fmt)
    return probe


def test_titles_an_import_set_stay_and_only_the_misread_year_is_written(conn, music, tmp_path,
                                                                       make_audio):
    song = make_audio(music / "song.flac",
                      tags={"title": "file title", "artist": "file artist", "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    dataset = tmp_path / "export"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text(
        f"track_id,path,title,artist,album\nt1,{song},My Title,My Artist,My Album\n")
    import_dataset(conn, dataset)
    as_before_the_upgrade(conn, {"year": 0})

    rep = scan_roots(conn, resolve_roots([music]))

    assert tuple(conn.execute("SELECT title, artist, album, year FROM tracks").fetchone()) == (
        "My Title", "My Artist", "My Album", None)
    assert [n for _p, n in rep.notes] == [reread_note({"year": 0}, {"year": None})]
    assert rep.tags_read_again == 1


def test_an_imported_title_that_looks_misread_is_kept_when_the_file_says_otherwise(
        conn, music, tmp_path, make_audio):
    """Double spaces and "??" in an imported title are no misreading of the file's "Night"."""
    song = make_audio(music / "a.mp3", tags={"title": "Night", "artist": "Lamps"})
    scan_roots(conn, resolve_roots([music]))
    dataset = tmp_path / "export"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text(f"track_id,path,title\nt1,{song},Live  at the ??\n")
    import_dataset(conn, dataset)
    set_setting(conn, REREAD_KEY, None)
    conn.commit()

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Live  at the ??"
    assert (rep.notes, rep.tags_read_again) == ([], 0)


def test_an_mp3s_apev2_album_artist_genre_and_year_fill_what_was_stored_empty(conn, music):
    _mp3(music / "a.mp3", id3v2={"TIT2": "Night Bus", "TPE1": "The Lamps", "TALB": "Late"},
         ape={"Album Artist": "Various", "Genre": "Jazz", "Year": "2009"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"albumartist": None, "genre": None, "year": None})

    rep = scan_roots(conn, resolve_roots([music]))

    assert tuple(conn.execute("SELECT title, albumartist, genre, year FROM tracks").fetchone()) == (
        "Night Bus", "Various", "Jazz", 2009)
    assert rep.tags_read_again == 1


def test_a_flacs_artist_after_an_empty_first_value_fills_the_empty_artist(conn, music,
                                                                          make_audio):
    make_audio(music / "a.flac", tags={"title": "One", "artist": ["", "Real Artist"]})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"artist": None})

    scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT artist FROM tracks").fetchone()[0] == "Real Artist"


@pytest.mark.parametrize("ext", ["wv", "tta"])
def test_a_wavpacks_or_ttas_apev2_album_artist_and_year_fill_what_was_stored_empty(conn, music,
                                                                                   ext):
    _made(music, ext)
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"albumartist": None, "year": None})

    scan_roots(conn, resolve_roots([music]))

    assert tuple(conn.execute("SELECT albumartist, year FROM tracks").fetchone()) == (
        "Various", 2009)


def test_an_mp3_with_an_empty_field_and_no_apev2_tag_is_not_read(conn, music, make_audio):
    make_audio(music / "a.mp3", tags={"title": "Night", "artist": "Lamps"})  # no genre
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {})
    read: list[str] = []

    scan_roots(conn, resolve_roots([music]), prober=reading(read))

    assert read == [] and get_setting(conn, REREAD_KEY) == []


def test_a_run_of_ideographic_spaces_is_one_space_now(conn, music, make_audio):
    make_audio(music / "a.flac", tags={"title": "Tokyo\u3000\u3000Nights"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"title": "Tokyo\u3000\u3000Nights"})

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "Tokyo Nights"
    assert rep.tags_read_again == 1


def test_later_scans_ask_only_about_the_tracks_left_out_of_reach(conn, music, make_audio):
    for name in ("a", "b", "c"):
        make_audio(music / f"{name}.flac", tags={"title": name, "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"year": 0})
    kept_for_good = conn.execute("SELECT id FROM tracks WHERE title = 'c'").fetchone()[0]
    set_setting(conn, REREAD_KEY, [kept_for_good])  # a missing track kept for good
    conn.commit()
    asked: list[str] = []
    conn.set_trace_callback(asked.append)
    read: list[str] = []
    try:
        scan_roots(conn, resolve_roots([music]), prober=reading(read))
    finally:
        conn.set_trace_callback(None)

    suspects = [sql for sql in asked if "AS wide" in sql]
    assert suspects and all(" id IN (" in sql for sql in suspects), suspects
    assert read == ["c.flac"], "only the listed track, though a and b read 0 too"


def test_its_progress_has_its_own_stage_and_words(conn, music, make_audio):
    make_audio(music / "a.flac", tags={"title": "a", "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"year": 0})
    seen: list[tuple[str, int | None]] = []

    scan_roots(conn, resolve_roots([music]), progress=lambda p: seen.append((p.stage, p.total)))

    assert (STAGE, 1) in seen and stage_words(STAGE) is not None
    assert [t for stage, t in seen if stage == "scan"] == [1, 1, 1], "the scan's own count"


def test_a_watch_stopped_while_tags_are_read_again_counts_its_batchs_files(conn, music,
                                                                          make_audio,
                                                                          monkeypatch):
    for i in range(6):
        make_audio(music / f"old{i}.flac", tags={"title": f"old {i}", "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"year": 0})
    new = make_audio(music / "new.flac", tags={"title": "new"})
    cancel = CancelToken()

    def stop_at_the_first_old_file(fs_path, fmt=None):
        if "old" in os.path.basename(fs_path):
            cancel.cancel()  # Stop, pressed while the re-read reads
        return probe(fs_path, fmt)

    plan, probe = plan_watch(conn), tags_mod.probe
    monkeypatch.setattr(tags_mod, "probe", stop_at_the_first_old_file)

    with pytest.raises(BatchStopped) as stopped:
        apply_changes(conn, plan, Batch(paths={os.fspath(new): False}), cancel=cancel)

    assert "0 new tracks stored, of 1 file found" in stopped.value.report.summary()


def test_a_watch_batch_whose_news_is_tags_read_again_is_said():
    note = reread_note({"year": 0}, {"year": None})
    rep = WatchReport(paths=1, scan=ScanReport(notes=[("/m/a.flac", note)], tags_read_again=1))

    assert not rep.empty
    assert "a.flac: tags read again" in rep.summary()


def test_the_summary_knows_the_notes_as_the_scan_words_them():
    recounts = [(f"/m/{i}.mp3", scan_write.recounted_note(17.6, 30.0)) for i in range(21)]
    rereads = [(f"/m/{i}.flac", reread_note({"year": 0}, {"year": None})) for i in range(21)]
    kept, line = scan_report.summed_up_notes([*recounts, *rereads, ("/m/x.ogg", "ends mid-page")])
    assert kept == [("/m/x.ogg", "ends mid-page")], "each upgrade's 21 notes are summed up"
    assert "21 MP3 tracks" in line and "21 tracks" in line.split("; ")[1]


def test_an_imported_title_with_two_question_marks_is_no_cut_id3v1_title(conn, music,
                                                                         tmp_path):
    """Each "?" of an ID3v1 field stands for one character Latin-1 lacks (or a "?"): "What??"
    is no ID3v1 cut of the APEv2 tag's "Whatever Happened" (it was replaced by it)."""
    song = _mp3(music / "a.mp3", ape={"Title": "Whatever Happened", "Artist": "Lamps"})
    scan_roots(conn, resolve_roots([music]))
    dataset = tmp_path / "export"
    dataset.mkdir()
    (dataset / "tracks.csv").write_text(f"track_id,path,title\nt1,{song},What??\n")
    import_dataset(conn, dataset)
    set_setting(conn, REREAD_KEY, None)
    conn.commit()

    rep = scan_roots(conn, resolve_roots([music]))

    assert conn.execute("SELECT title FROM tracks").fetchone()[0] == "What??"
    assert (rep.notes, rep.tags_read_again) == ([], 0)


@pytest.mark.parametrize("stored, now, cut", [
    ("What??", "Whatever Happened", False), ("What??", "What!!", False),
    ("????", "東京事変", True), ("Live at ????", "Live at 東京事変", True),
    (LONG[:30], LONG, True),  # ID3v1's 30 bytes
    ("Live ?? at the Long Hall Tonig", "Live 東京 at the Long Hall Tonight", True),
    ("Live ?? at the Long Hall Tonig", "Live and at the Long Hall Tonight", False)])
def test_an_id3v1_fields_question_marks_stand_for_one_character_each(stored, now, cut):
    assert misread("title", stored, now, "mp3") is cut


def test_tracks_stored_missing_are_left_listed_and_their_files_not_looked_for(
        conn, music, tmp_path, make_audio, monkeypatch):
    """A track kept missing for good (a drive unplugged) stays listed to be read again, but a
    scan or a watch batch neither looks for its file (a stale mount waits on each), nor says
    it is reading tags again, nor writes the list again."""
    make_audio(music / "here.flac", tags={"title": "here"})
    gone = make_audio(music / "gone.flac", tags={"title": "gone", "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"year": 0})
    os.rename(gone, tmp_path / "gone.flac")
    scan_roots(conn, resolve_roots([music]))  # it is read again: out of reach, and missing
    gone_id = conn.execute("SELECT id FROM tracks WHERE status = 'missing'").fetchone()[0]
    assert get_setting(conn, REREAD_KEY) == [gone_id]
    looked_for, writes, stages = [], [], []
    monkeypatch.setattr(tag_reread, "os", _Watched(looked_for))
    conn.set_trace_callback(lambda sql: writes.append(sql) if REREAD_KEY in sql else None)
    try:
        scan_roots(conn, resolve_roots([music]), progress=lambda p: stages.append(p.stage))
    finally:
        conn.set_trace_callback(None)

    assert (looked_for, stages.count(STAGE)) == ([], 0)
    assert [sql for sql in writes if not sql.lstrip().upper().startswith("SELECT")] == []
    assert get_setting(conn, REREAD_KEY) == [gone_id]


def test_a_track_stored_missing_that_the_scan_found_is_read_again(conn, music, tmp_path,
                                                                  make_audio):
    gone = make_audio(music / "gone.flac", tags={"title": "gone", "date": "0"})
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"year": 0})
    conn.execute("UPDATE tracks SET status = 'missing'")
    track_id, path = conn.execute("SELECT id, path FROM tracks").fetchone()
    set_setting(conn, REREAD_KEY, [track_id])
    conn.commit()

    reread_old_tags(conn, ScanReport(), tags_mod.probe)  # not found by this scan: kept
    assert get_setting(conn, REREAD_KEY) == [track_id]
    rep = ScanReport()
    reread_old_tags(conn, rep, tags_mod.probe, found={path})

    assert (rep.tags_read_again, get_setting(conn, REREAD_KEY)) == (1, [])
    assert conn.execute("SELECT year FROM tracks").fetchone()[0] is None


class _Watched:
    """The ``os`` module as tag_reread sees it, keeping the paths it stats or opens."""

    def __init__(self, looked_for: list[str]):
        self._looked_for = looked_for

    def __getattr__(self, name):
        return getattr(os, name)

    def stat(self, path, *args, **kwargs):
        self._looked_for.append(os.fspath(path))
        return os.stat(path, *args, **kwargs)


def test_an_mp3s_apev2_tag_before_lyrics3v2_and_id3v1_fills_what_was_stored_empty(conn, music):
    path = _mp3(music / "a.mp3", ape={"Title": "Night Bus", "Album Artist": "Various",
                                      "Genre": "Jazz"})
    lyrics = b"LYRICSBEGIN" + b"IND0000210" + b"LYR00600" + b"la " * 200
    with open(path, "ab") as fh:  # as some taggers leave it: APEv2, Lyrics3v2, ID3v1
        fh.write(lyrics + b"%06d" % len(lyrics) + b"LYRICS200")
        fh.write(b"TAG" + b"Night Bus".ljust(30, b"\0") + bytes(94) + b"\xff")
    assert tags_mod.probe(path).tags["albumartist"] == "Various"  # mutagen finds it
    scan_roots(conn, resolve_roots([music]))
    as_before_the_upgrade(conn, {"albumartist": None, "genre": None})

    rep = scan_roots(conn, resolve_roots([music]))

    assert tuple(conn.execute("SELECT albumartist, genre FROM tracks").fetchone()) == (
        "Various", "Jazz")
    assert rep.tags_read_again == 1


def test_its_stage_is_said_in_words():
    assert stage_words(STAGE) == "Reading again the tags an older version misread"
