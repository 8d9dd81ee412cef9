"""The status-bar lines users read after a scan, an embedding run or a training run."""

from __future__ import annotations

from musicsage.audio.embed_job import EmbedReport
from musicsage.controllers.summaries import (SCAN_DETAILS_SHOWN, describe_embed, describe_scan,
                                             describe_training, describe_watch, scan_details)
from musicsage.graph.reports import TrainReport
from musicsage.library.playlists.store import PlaylistReport
from musicsage.library.scan import ScanReport
from musicsage.library.watch_apply import WatchReport


def train_report(steps: int, seconds: float, best_step: int) -> TrainReport:
    return TrainReport(metrics=None, steps=steps, best_step=best_step, best_val_hr10=0.1,
                       seconds=seconds, contexts=("playlist",), objective="infonce")


def test_scan_summary_names_changes_problems_and_unresolved_entries():
    report = ScanReport(added=3, updated=0, reappeared=1, missing=2, files=6,
                        errors=[("/music/bad.mp3", "not an audio file")],
                        playlists=[PlaylistReport("a.m3u", unresolved=[{"raw": "a"}, {"raw": "b"}]),
                                   PlaylistReport("b.m3u")])
    assert describe_scan(report) == ("Scan finished: 3 new, 1 back, 2 now missing, "
                                     "1 unreadable (bad.mp3: not an audio file), "
                                     "2 playlists imported (2 entries not found)")
    assert describe_scan(ScanReport(files=4, unchanged=4)) == "Scan finished: nothing changed"


def test_scan_summary_says_what_could_not_be_read_in_the_window():
    """The window's line once said "N unreadable (see stats)" — a command the window does not
    have — and counted playlists it could not read as imported (7 "imported", 4 shown)."""
    report = ScanReport(files=3, added=1, errors=[("/m/locked", "Permission denied"),
                                                  ("/m/x.flac", "truncated")],
                        playlists=[PlaylistReport("/p/ok.m3u8", playlist_id=1),
                                   PlaylistReport("/p/bad.xspf", error="not a valid XSPF file"),
                                   PlaylistReport("/p/gone.m3u", error="cannot read: Permission denied")])
    assert describe_scan(report) == (
        "Scan finished: 1 new, 2 unreadable (locked: Permission denied; 1 more), "
        "1 playlist imported, 2 playlists not read (bad.xspf: not a valid XSPF file; 1 more)")


def test_scan_summary_tells_how_files_were_read_as_scan_does():
    """`scan` printed its notes (audio under another format's extension, a playlist that is
    not UTF-8); the window's line said nothing of them."""
    one = ScanReport(files=1, added=1, notes=[
        ("/m/song.mp3", "FLAC audio under the extension .mp3 (read as FLAC)")])
    assert describe_scan(one) == ("Scan finished: 1 new, 1 note (song.mp3: FLAC audio under "
                                  "the extension .mp3 (read as FLAC))")
    two = ScanReport(files=1, added=1, notes=one.notes, playlists=[
        PlaylistReport("/p/Old.m3u8", notes=["not UTF-8: read as Windows-1252"]),
        PlaylistReport("/p/Later.m3u8", notes=["not UTF-8: read as Windows-1252"],
                       refreshed=True)])  # a refresh tells only what it found, as in `scan`
    assert describe_scan(two).endswith(", 1 playlist imported, 2 notes (song.mp3: FLAC audio "
                                       "under the extension .mp3 (read as FLAC); 1 more)")
    alone = ScanReport(playlists=[two.playlists[0]])
    assert describe_scan(alone) == ("Scan finished: 1 playlist imported, 1 note (Old.m3u8: "
                                    "not UTF-8: read as Windows-1252)")


def test_the_scan_lines_details_list_every_problem_and_note():
    """The line names the first problem of each kind ("3 notes (song.mp3: …; 2 more)"); its
    tooltip showed the line again, so the other two could not be learnt in the window."""
    report = ScanReport(files=5, added=3, errors=[("/m/locked.flac", "Permission denied"),
                                                  ("/m/x.flac", "x.flac: truncated")],
                        notes=[("/m/a.mp3", "FLAC audio under the extension .mp3 (read as FLAC)"),
                               ("/m/b\nc.mp3", "Ogg audio under the extension .mp3")],
                        playlists=[PlaylistReport("/p/bad.xspf", error="not a valid XSPF file"),
                                   PlaylistReport("/p/Old.m3u8", notes=["not UTF-8"])])
    assert scan_details(report) == "\n".join([
        "Unreadable (2):", "  locked.flac: Permission denied", "  x.flac: truncated",
        "Playlists not read (1):", "  bad.xspf: not a valid XSPF file",
        "Notes (3):", "  a.mp3: FLAC audio under the extension .mp3 (read as FLAC)",
        "  b c.mp3: Ogg audio under the extension .mp3", "  Old.m3u8: not UTF-8"])
    assert scan_details(ScanReport(files=4, added=4)) == ""


def test_the_scan_lines_details_stop_at_ten_and_say_how_many_more():
    """A folder of 40 damaged files must not make a tooltip taller than the screen."""
    bad = [(f"/m/bad{i:02d}.ogg", "not a recognised audio file") for i in range(14)]
    notes = [("/m/a.mp3", "FLAC audio"), ("/m/b.mp3", "FLAC audio")]
    lines = scan_details(ScanReport(errors=bad, notes=notes)).split("\n")
    listed = [line for line in lines if line.startswith("  bad")]
    assert SCAN_DETAILS_SHOWN == 10 and len(listed) == 10
    assert lines[0] == "Unreadable (14):" and lines[11] == "  … and 4 more"
    assert lines[12:] == ["Notes (2):", "  … and 2 more"], "every kind is still counted"


def test_scan_summary_of_a_folder_without_music():
    """An empty folder (or one holding no audio file) was "nothing changed"."""
    empty = ScanReport(roots=["/home/u/Empty"])
    assert describe_scan(empty) == "Scan finished: no music files found in /home/u/Empty"
    assert describe_scan(ScanReport()) == "Scan finished: nothing changed"


def test_embed_and_training_summaries():
    embedded = EmbedReport("spectral-v1", "1", "cpu", embedded=12, failed=1)
    assert describe_embed(embedded) == (
        "Embeddings computed with spectral-v1: 12 tracks, 1 failed. The file that failed is "
        "tried again on every embedding run: replace it with a good copy (re-rip it), or "
        "delete it and scan")
    named = EmbedReport("spectral-v1", "1", "cpu", embedded=1, failed=3,
                        errors=[("/m/a\nb.ogg", "a b.ogg: not a readable audio file")])
    assert describe_embed(named) == ("Embeddings computed with spectral-v1: 1 track, 3 failed "
                                     "(a b.ogg: not a readable audio file; 2 more). The 3 "
                                     "files that failed are tried again on every embedding "
                                     "run: replace them with good copies (re-rip them), or "
                                     "delete them and scan")
    forgotten = EmbedReport("spectral-v1", "1", "cpu", total=5, embedded=2, gone=3)
    assert describe_embed(forgotten) == ("Embeddings computed with spectral-v1: 2 tracks, "
                                         "3 not stored (removed from the library meanwhile)")
    assert describe_training(train_report(1200, 61.4, 800)) == (
        "Training finished: the new model is in use (1,200 steps, 61 s). "
        "Kept the weights of step 800, the best on validation.")
    assert describe_training(train_report(50, 3.2, 50)) == (
        "Training finished: the new model is in use (50 steps, 3 s).")
    assert describe_training(train_report(1, 0.4, 1)) == (  # --max-steps 1 read "1 steps"
        "Training finished: the new model is in use (1 step, 0 s).")
    untagged = train_report(50, 3.2, 50)
    untagged.empty_contexts = ("album", "artist")
    assert describe_training(untagged) == (
        "Training finished: the new model is in use (50 steps, 3 s). No track has an album or "
        "an artist: the model trained without those contexts.")
    chose = train_report(50, 3.2, 50)  # validation kept the run on the playlists alone
    chose.dropped_contexts = ("album", "artist")
    chose.context_scores = {"playlist,album,artist": 0.587, "playlist": 0.729}
    assert describe_training(chose) == (  # the dock's "Kept:" line says which run serves
        "Training finished: the new model is in use (50 steps, 3 s).")
    assert describe_training(train_report(400, 20.0, 0)) == (  # keep_start kept the start
        "Training finished: the new model is in use (400 steps, 20 s). "
        "Kept the untrained weights: no step improved on them on validation.")
    scored = train_report(50, 3.2, 50)
    scored.metrics = {"graph": {"hr@10": 0.558}}
    assert describe_training(scored, replaced_hr10=0.628) == (
        "Training finished: the new model is in use (50 steps, 3 s). Its HR@10 is 0.558, "
        "below the 0.628 of the model it replaced (each on its own held-out memberships).")
    assert describe_training(scored, replaced_hr10=0.5) == describe_training(scored) == (
        "Training finished: the new model is in use (50 steps, 3 s).")
    on_gpu = train_report(50, 3.2, 50)
    on_gpu.device = "cuda"
    assert describe_training(on_gpu) == (
        "Training finished: the new model is in use (50 steps, 3 s on cuda).")
    with_part = train_report(50, 3.2, 50)  # what validation mixed in, in a listener's words
    with_part.two_hop_gamma = 0.5
    said = describe_training(with_part)
    assert said.startswith("Training finished: the new model is in use (50 steps, 3 s). It "
                           "also counts the ") and said.endswith("(weight 0.5, as validation chose).")
    assert "two-hop" not in said and "item-kNN" not in said


def test_the_training_line_claims_validation_only_when_one_ran():
    """A tiny library validated nothing and learned nothing (loss 0 at every step), yet the
    dock said "Kept the weights of step 100, the best on validation"."""
    by_loss = train_report(400, 34.0, 100)
    by_loss.best_val_hr10 = None  # too few memberships to set some aside
    assert describe_training(by_loss) == (
        "Training finished: the new model is in use (400 steps, 34 s). Kept the weights of "
        "step 100, those of the lowest training loss (no validation ran).")
    nothing = train_report(400, 34.0, 100)
    nothing.best_val_hr10, nothing.learned = None, False
    nothing.notes = ("the library is too small for the graph model to learn from: …",)
    nothing.metrics = {"graph": {"hr@10": 1.0}, "notes": list(nothing.notes)}
    assert describe_training(nothing) == (  # the note itself is under the table's
        "Training finished: the new model is in use (400 steps, 34 s). It learned nothing "
        "from your playlists: see the note below.")
    nothing.metrics = None  # no evaluation (holdout 0): no note below, so it is said here
    assert describe_training(nothing) == (
        "Training finished: the new model is in use (400 steps, 34 s). It learned nothing "
        "from your playlists: the library is too small for the graph model to learn from: ….")


def test_a_count_of_one_reads_in_the_singular():
    """'1 playlists imported (1 entries not found)', 'Embeddings computed: 1 tracks': every
    count a user reads now takes the noun's form for its number."""
    from musicsage.text import counted

    one = ScanReport(playlists=[PlaylistReport("a.m3u", unresolved=[{"raw": "a"}])])
    assert describe_scan(one) == "Scan finished: 1 playlist imported (1 entry not found)"
    assert describe_embed(EmbedReport("spectral", "v1", "cpu", total=1, embedded=1)) == \
        "Embeddings computed with spectral: 1 track"
    assert [counted(n, "entry", "entries") for n in (0, 1, 2)] == ["0 entries", "1 entry",
                                                                   "2 entries"]


def test_watch_line_warns_of_missing_tracks_and_names_what_it_can():
    """"Folder watch: 1 now missing" was shown at info level, as if nothing were wrong. The
    report counts added and missing tracks without naming them; unreadable files are named."""
    assert describe_watch(WatchReport(scan=ScanReport(missing=1))) == (
        "Folder watch: 1 track now missing (deleted or moved?)", "warning")
    several = WatchReport(scan=ScanReport(added=3, missing=2,
                                          errors=[("/m/a/bad.ogg", "not an audio file")]))
    assert describe_watch(several) == (
        "Folder watch: 3 new, 2 tracks now missing (deleted or moved?), "
        "1 unreadable (bad.ogg: not an audio file)", "warning")
    assert describe_watch(WatchReport(scan=ScanReport(added=2))) == (
        "Folder watch: 2 new", "info")
    assert describe_watch(WatchReport(error="database is locked")) == (
        "Folder watch: could not update the library: database is locked", "warning")


def test_watch_line_says_a_watched_folder_itself_is_gone():
    """A deleted (or replaced) watched folder read "N now missing", hiding that the folder
    went, not N files."""
    gone = WatchReport(scan=ScanReport(missing=12, errors=[
        ("/m/Old", "not found (its tracks are marked missing)")]))
    assert describe_watch(gone) == (
        "Folder watch: the folder /m/Old is gone (its 12 tracks are marked missing)", "warning")
    replaced = WatchReport(scan=ScanReport(missing=1, errors=[
        ("/m/A", "now a file, not a folder (its tracks are marked missing)"),
        ("/m/B", "not found (its tracks are marked missing)")]))
    assert describe_watch(replaced)[0] == (
        "Folder watch: 2 folders are gone (first: /m/A; their 1 track is marked missing)")
