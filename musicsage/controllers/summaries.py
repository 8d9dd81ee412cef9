"""One-line summaries of finished long tasks, for the status line and the training dock.

Plain functions of the use cases' reports, so the wording is tested without a window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from musicsage.controllers.scan_roots import gone_root, root_errors, roots_said, unopened_reason
from musicsage.controllers.wording import blend_text
from musicsage.graph.reports import METRIC_NAMES, VAL_KEYS
from musicsage.graph.saved_numbers import graph_figure
from musicsage.library.playlists.store import replaced_imports_note
from musicsage.library.scan_report import EXAMPLES
from musicsage.library.walk import skipped_formats_text
from musicsage.library.watch_apply import folder_gone, found_now_text, named, playlist_news
from musicsage.library.watch_playlist_news import not_read_text
from musicsage.text import counted, elided, noun, printable, sentence

if TYPE_CHECKING:
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.graph.reports import TrainReport
    from musicsage.library.scan import ScanReport
    from musicsage.library.watch_apply import WatchReport
    from musicsage.usecases.snapshot import LibrarySnapshot


def describe_scan(report: "ScanReport") -> str:
    """What changed, playlists imported, problems — each problem named by its first case, since
    the window has no ``stats`` to look them up in. Moves are counted as the CLI's line and the
    watch's count them: a file renamed in a music folder read "nothing changed" here. New
    tracks are "new", and tracks gone "now missing", as ``scan``'s line and the docs call them:
    "added" and "2 missing" here named the same counts another way."""
    counts = (("new", report.added), ("changed", report.updated), ("moved", report.moved),
              ("back", report.reappeared), ("now missing", report.missing))
    parts = [f"{n} {label}" for label, n in counts if n]
    gone, unopened, unreadable = root_errors(report)
    if unreadable:
        parts.append(f"{len(unreadable)} unreadable ({_first_problem(unreadable)})")
    parts += roots_said(gone, unopened)
    shown = [p for p in report.playlists if not p.quiet]  # a refresh tells only its news
    imported = [p for p in shown if not p.error]
    failed = [(p.path, p.error) for p in shown if p.error]
    if imported:
        unresolved = sum(len(p.unresolved) for p in imported)
        parts.append(f"{counted(len(imported), 'playlist')} imported"
                     + (f" ({counted(unresolved, 'entry', 'entries')} not found)"
                        if unresolved else ""))
    found = sum(p.found_now for p in report.playlists if p.quiet)
    if found:
        parts.append(found_now_text(found))
    parts += _replaced_imports(report.playlists)
    if failed:
        parts.append(f"{counted(len(failed), 'playlist')} not read ({_first_problem(failed)})")
    parts += _playlists_gone(report)
    parts += _empty_playlists([p for p in imported if p.none_found])
    parts += _notes(report, imported)
    parts += [t] if (t := skipped_formats_text(report.skipped_formats)) else []
    hint = _playlist_files_hint(report)
    if parts:
        return "Scan finished: " + ", ".join(parts) + hint
    if report.roots and not report.files:
        return f"Scan finished: no music files found in {', '.join(report.roots)}" + hint
    return "Scan finished: nothing changed" + hint


def _playlists_gone(report: "ScanReport") -> list[str]:
    """``1 playlist gone (its file was removed): 'Mix'`` in the scan's and the watch's words
    (:meth:`~musicsage.library.scan_report.ScanReport.playlists_gone_text`): the window said
    nothing, and a playlist left its list without a word."""
    gone = report.playlists_gone_text()
    return [gone] if gone else []


def _replaced_imports(playlists: list) -> list[str]:
    """``2 playlists were already in the library as imported from DIR: their files now stand
    for them``, the note ``scan`` prints (:func:`~musicsage.library.playlists.store.
    replaced_imports_note`): without it the window's lines said nothing of the import's
    playlists that left the library."""
    note = replaced_imports_note(playlists)
    return [note] if note else []


def _playlist_files_hint(report: "ScanReport") -> str:
    """``; 3 playlist files found, not imported ('Road trip.m3u' and 2 more): File › Import
    playlists…`` for the playlist files in the music folders, which a scan does not import
    (rippers leave one per album); empty when none, or after a plain re-scan."""
    files = report.playlist_files
    if not files or not report.tell_playlist_files:
        return ""
    return (f"; {counted(len(files), 'playlist file')} found, not imported "
            f"({named(files, len(files))}): File › Import playlists…")


def playlist_files_hint(found: int) -> tuple[str, str]:
    """The empty playlist list's lasting row after a scan found ``found`` playlist files it
    did not import: the scan line that said so was gone after 15 s (and cut off at 1366 px),
    and then an empty list said nothing of them. (what was found, the words of the link that
    imports them): the window shows them as "found — link"."""
    return f"{counted(found, 'playlist file')} in your music folders", "Import playlists…"


def _notes(report: "ScanReport", imported: list) -> list[str]:
    """``2 notes (song.mp3: FLAC audio under the extension .mp3 (read as FLAC); 1 more)``:
    how files were read that the user should know of (a file read by its content, a playlist
    that is not UTF-8), the first named — ``scan`` prints them, and the window said nothing."""
    notes = _all_notes(report, imported)
    return [f"{counted(len(notes), 'note')} ({_first_problem(notes)})"] if notes else []


def _all_notes(report: "ScanReport", imported: list) -> list[tuple[str, str]]:
    """(path, note) of the files and of the imported playlists, in the line's order."""
    return list(report.notes) + [(p.path, note) for p in imported for note in p.notes]


SCAN_DETAILS_SHOWN = 10
"""The most problems :func:`scan_details` lists (a tooltip taller than the screen is cut)."""


def scan_details(report: "ScanReport") -> str:
    """Every problem and note of a scan that its line names only the first of — unreadable
    files, playlists not read, notes, playlist entries not found — one a line under its
    kind, at most SCAN_DETAILS_SHOWN in all, then "… and N more": for the scan line's tooltip
    (it said "3 notes (song.mp3: …; 2 more)" and the user could not learn the other two).
    Empty when there is none."""
    shown = [p for p in report.playlists if not p.quiet]
    imported = [p for p in shown if not p.error]
    gone, unopened, unreadable = root_errors(report)  # as the line tells them apart
    kinds = (("Music folders gone", [": ".join(map(printable, e)) for e in gone]),
             ("Music folders that cannot be opened", [  # as the line words the reason
                 f"{printable(path)}: {printable(unopened_reason(why))}"
                 for path, why in unopened]),
             ("Unreadable", [_problem_text(*e) for e in unreadable]),
             ("Playlists not read", [_problem_text(p.path, p.error) for p in shown if p.error]),
             ("Notes", [_problem_text(*n) for n in _all_notes(report, imported)]),
             ("Entries not found", [_entry_text(p.name, u) for p in imported
                                    for u in p.unresolved]))
    lines: list[str] = []
    room = SCAN_DETAILS_SHOWN
    for title, problems in kinds:
        if not problems:
            continue
        listed = problems[:room]
        lines.append(f"{title} ({len(problems)}):")
        lines += ["  " + problem for problem in listed]
        if len(problems) > len(listed):
            lines.append(f"  … and {len(problems) - len(listed)} more")
        room -= len(listed)
    return "\n".join(lines)


def _entry_text(playlist: str, entry: dict) -> str:
    """"Mix #3: http://radio.example/stream (a URL, not a file)": a playlist's entry not found,
    as the file has it (cut at 120 characters) and why, as ``scan --playlists`` names it —
    the window only counted them ("2 entries not found")."""
    return (f"{printable(playlist)} #{entry['position'] + 1}: "
            f"{printable(elided(str(entry['raw']), 120))} ({printable(entry['reason'])})")


def _empty_playlists(empty: list) -> list[str]:
    """The warning for a playlist imported empty (none of its entries found), the first named."""
    if not empty:
        return []
    more = len(empty) - 1
    return [empty[0].none_found_warning()
            + (f" ({counted(more, 'more playlist')} with no entry found)" if more else "")]


def describe_watch(report: "WatchReport") -> tuple[str, str]:
    """The folder watch's line for one batch and its level ("info"/"warning"). Tracks gone
    missing or files not read are a warning: a user who deleted nothing must notice; a watched
    folder that is itself gone (an unplugged drive, a rename) is said so, with its tracks kept,
    since "N now missing" hides that the whole folder went; so are playlists it could not read
    (their entries kept as they were). The first file or two of each
    change is named ("3 new ('Song.flac' and 2 more)"); :func:`watch_details` lists more. New
    tracks are "new", as the scan line, the CLI's watch line and the docs call them."""
    if report.error:
        return f"Folder watch: could not update the library: {report.error}", "warning"
    s = report.scan
    went = {folder for folder, _n in report.gone_roots}
    gone = [e for e in s.errors if e[0] not in went and gone_root(e)]
    unreadable = [e for e in s.errors if e not in gone and e[0] not in went]
    missing = max(s.missing - sum(n for _f, n in report.gone_roots), 0)
    parts = [folder_gone(" ".join(f.splitlines()), n) for f, n in report.gone_roots]
    if report.back_roots:  # each named apart: "/m/My Music /m/USB are back" read as one
        back = [" ".join(f.splitlines()) for f in report.back_roots]
        parts.append(" and ".join([", ".join(back[:-1]), back[-1]] if back[:-1] else back)
                     + f" {'is' if len(back) == 1 else 'are'} back"
                     + (f" ({counted(s.reappeared, 'track')})" if s.reappeared else ""))
    parts += [f"{n} {label}" + _names(s, key, n) for n, label, key in (
        (s.added, "new", "added"), (s.updated, "changed", "changed"),
        (s.moved, "moved", "moved"), (0 if report.back_roots else s.reappeared, "back", "back"))
        if n]
    if gone:
        parts.append(_gone_folders(gone, missing))
    elif missing:
        names = named(s.examples.get("missing", []), missing) if not went else ""
        parts.append(f"{counted(missing, 'track')} now missing ("
                     + (f"{names}; " if names else "") + "deleted or moved?)")
    if unreadable:
        parts.append(f"{len(unreadable)} unreadable ({_first_problem(unreadable)})")
    parts += _notes(s, [])  # an Ogg file cut since its scan, read whole pages: the CLI says it
    imported, found = playlist_news(report.playlists)  # a refresh says only what it found
    parts += [f"{counted(n, 'playlist')} {done}" for n, done in (
        (imported, "imported"), (report.renamed_playlists, "renamed")) if n]
    parts += [found_now_text(found)] if found else []
    parts += _replaced_imports(report.playlists)
    parts += _playlists_gone(s)
    embedded = getattr(report.embed, "embedded", 0) if report.embed is not None else 0
    if embedded:
        parts.append(f"{embedded} embedded")
    level = "warning" if s.missing or s.errors or report.gone_roots else "info"
    unread = not_read_text(report.playlists)  # entries kept: "1 playlist imported" was said
    if unread and unread not in ", ".join(parts):  # of a playlist overwritten by no playlist
        parts.append(unread)
        level = "warning"
    return "Folder watch: " + (", ".join(parts) or "nothing that changes the library"), level


def _names(scan: "ScanReport", kind: str, total: int) -> str:
    """`` ('Song.flac' and 2 more)`` for the first files of a kind of change, or nothing."""
    names = named(scan.examples.get(kind, []), total)
    return f" ({names})" if names else ""


_DETAILS = (("added", "New"), ("changed", "Changed"), ("moved", "Moved"), ("back", "Back"),
            ("missing", "Now missing"))


def watch_details(report: "WatchReport") -> str:
    """The files a batch changed, listed (the first few of each kind the report keeps) — for
    the watch line's tooltip; empty when there is nothing to list."""
    s = report.scan
    counts = {"added": s.added, "changed": s.updated, "moved": s.moved,
              "back": s.reappeared, "missing": s.missing}
    lines = []
    for kind, title in _DETAILS:
        paths = s.examples.get(kind, [])
        if not paths:
            continue
        lines.append(f"{title} ({counts[kind]}):")
        lines += ["  " + " ".join(p.splitlines()) for p in paths]
        if counts[kind] > len(paths):
            lines.append(f"  … and {counts[kind] - len(paths)} more")
    if s.playlists_gone:  # the line names the first few
        names = s.playlists_gone
        lines.append(f"Playlists gone, their files removed ({len(names)}):")
        lines += ["  " + repr(n) for n in names[:EXAMPLES]]
        if len(names) > EXAMPLES:
            lines.append(f"  … and {len(names) - EXAMPLES} more")
    return "\n".join(lines)


def _gone_folders(gone: list[tuple[str, str]], missing: int) -> str:
    """A watched folder (or several) that is gone, and the tracks that went missing with it."""
    tracks = f"{counted(missing, 'track')} {'is' if missing == 1 else 'are'} marked missing"
    first = " ".join(gone[0][0].splitlines())  # the status bar is one line
    if len(gone) == 1:
        return f"the folder {first} is gone (its {tracks})"
    return f"{len(gone)} folders are gone (first: {first}; their {tracks})"


def _first_problem(problems: list[tuple[str, str]], total: int | None = None) -> str:
    """"name: reason" of the first (path, reason), and how many more (of ``total``, when the
    report lists only the first few). A newline in a file name is shown as a space: the
    status bar is one line."""
    others = (len(problems) if total is None else total) - 1
    more = f"; {others} more" if others > 0 else ""
    return _problem_text(*problems[0]) + more


def _problem_text(path: str, reason: str) -> str:
    """"name: reason" on one line (a newline in a file name is shown as a space)."""
    name = " ".join((Path(path).name or path).splitlines())
    reason = " ".join(reason.splitlines())
    if reason.startswith(f"{name}: "):  # the decoder's message names the file already
        return reason
    return f"{name}: {reason}"


def nothing_to_compute_text(model_id: str | None) -> str:
    """What Compute embeddings says when every track has its vectors of ``model_id``: one
    wording for its tooltip and its click ("Every track is embedded with …" differed)."""
    with_model = f" with {model_id}" if model_id else ""
    return f"Nothing to compute: every track already has its embeddings{with_model}"


def describe_embed(report: "EmbedReport", too_late: bool = False) -> str:
    """The model, tracks embedded, failures, tracks forgotten meanwhile; or that every track
    had its vectors already (the button's answer was "Embeddings computed …: 0 tracks", as
    if something had failed). ``too_late``: Cancel was pressed once its last batch had
    started, so it ran to the end — said, else the Cancel looked ignored."""
    with_model = f" with {report.model_id}" if report.model_id else ""
    missing = getattr(report, "files_missing", None)  # embed's words, the files being gone
    if report.total == report.embedded == report.failed == 0:
        text = f"Nothing to compute: {missing}" if missing else \
            nothing_to_compute_text(report.model_id)
    else:
        text = f"Embeddings computed{with_model}: {counted(report.embedded, 'track')}"
        if report.reanalysis:  # vectors redone (damaged, other settings): why
            text += f"; {report.reanalysis}"
    if too_late:
        text += " (it had finished before Cancel took effect)"
    if report.failed:  # named, as a scan names what it could not read: else no one can act
        text += f", {report.failed} failed"
        if report.errors:
            text += f" ({_first_problem(report.errors, report.failed)})"
    if getattr(report, "gone", 0):  # a folder forgotten while its tracks were analysed
        text += f", {report.gone} not stored (removed from the library meanwhile)"
    if report.failed:  # what to do, in the words `embed` prints: else it failed on every run
        text += f". {sentence(report.failed_advice)}"
    graph = getattr(report, "graph", None)  # the graph model's vectors for new tracks
    if graph is not None and graph.note:
        text += f". {sentence(graph.note)}"
    elif graph is not None and getattr(graph, "new_vectors", 0):
        # new_vectors, not embedded: that also counts tracks placed again (an earlier run's
        # new tracks, redone on the graph as it is now), which the model had placed before
        text += (f"; {counted(graph.new_vectors, 'track')} the graph "
                 f"model never saw got graph neighbours (model {graph.model_id}, "
                 "no retraining)")
    return text


def describe_training(report: "TrainReport", replaced_hr10: float | None = None, *,
                      notes_inline: bool = False) -> str:
    """Steps and time (and the GPU, when it trained on one), in a listener's words; says when
    early stopping kept an earlier step, what validation mixed into the vectors
    (``wording.blend_text``), and when the new model scores below the one it replaced
    (``replaced_hr10``: that model's HR@10) — it is in use all the same, and a user who sees
    only the new figures would not know. The choice between two runs is the dock's "Kept:"
    line (``wording.kept_run``), not repeated here. ``notes_inline``: of a run that learned
    nothing and left the model before it current, say why here, not "see the note" — the
    dock's table and notes are then that model's, which lack this run's note."""
    where = "" if report.device == "cpu" else f" on {report.device}"
    head = f"{report.steps:,} {noun(report.steps, 'step')}, {report.seconds:.0f} s{where}"
    kept = getattr(report, "kept_current", None)  # it learned nothing: the previous one stays
    replaced = getattr(report, "replaced_damaged", None)  # …but not one with damaged files
    if kept is not None:
        from musicsage.usecases.training import kept_current_text

        why = _nothing_learned_why(report, table=False) if notes_inline else None
        text = (f"Training finished ({head}) and {kept_current_text(kept, report.model_id, why)}"
                + (_other_notes(report, table=False) if notes_inline else ""))
    elif replaced is not None:
        from musicsage.usecases.kept_model import replaced_damaged_text

        said = replaced_damaged_text(replaced, report.model_id, _nothing_learned_why(report))
        text = f"Training finished ({head}). {sentence(said)}" + _other_notes(report)
    else:
        text = f"Training finished: the new model is in use ({head})"
    text += _kept(report, learning_said=kept is not None or replaced is not None)
    blend, _terms = blend_text(report)  # docs/model.md's names stay in the tooltip
    if blend:
        text += f". {blend}"
    if report.empty_contexts:
        from musicsage.graph.data import empty_contexts_text

        text += f". {sentence(empty_contexts_text(report.empty_contexts))}"
    new = graph_figure(report.metrics, "hr@10")
    if kept is None and replaced_hr10 is not None and new is not None and new < replaced_hr10:
        text += (f". Its HR@10 is {new:.3f}, below the {replaced_hr10:.3f} of the model it "
                 "replaced (each on its own held-out memberships)")
    return text + "."


def _nothing_learned_why(report: "TrainReport", table: bool = True) -> str:
    """Why a run learned nothing, for its line: "see the note below" where the table shows the
    run's notes (``table``: this run's figures fill it), else the run's own note (the first of
    ``notes``) — not the notes on what it read (tracks left out for damaged vectors), which
    are no reason for it."""
    if table and report.metrics is not None:
        return "see the note below"
    return report.notes[0] if report.notes else "its loss was 0 at every step"


def _other_notes(report: "TrainReport", table: bool = True) -> str:
    """The run's notes but the one that says why it learned nothing, as sentences, where no
    table shows them (no figures, or ``table`` False: the table is another model's)."""
    if table and report.metrics is not None:
        return ""
    return "".join(f". {sentence(note)}" for note in report.notes[1:])


def _kept(report: "TrainReport", learning_said: bool = False) -> str:
    """Which step's weights the run kept, and why — "the best on validation" only when a
    validation ran; nothing about steps when none of them learned anything (a tiny library:
    its note says why, under the table with the evaluation's notes, or here without one).
    ``learning_said``: the line already says the run learned nothing (it says it once)."""
    if not report.learned:
        if learning_said:
            return ""
        return (f". It learned nothing from your playlists: {_nothing_learned_why(report)}"
                f"{_other_notes(report)}")
    if report.best_step == 0:  # only with keep_start: no trained state beat the start
        return ". Kept the untrained weights: no step improved on them on validation"
    if report.best_step >= report.steps:
        return ""
    kept = f". Kept the weights of step {report.best_step:,}"
    if report.best_val_hr10 is None:  # too few memberships to set some aside, or DGI
        return f"{kept}, those of the lowest training loss (no validation ran)"
    key = VAL_KEYS[report.val_metric]  # what early stopping read
    scores = [h[key] for h in report.history if h.get(key) is not None]
    if len(scores) > 1 and len(set(scores)) == 1:  # all tied (0.000 on a tiny library)
        name = METRIC_NAMES[report.val_metric]
        return (f"{kept}, the first validated: validation could not tell the steps apart "
                f"(each scored {name} {scores[0]:.3f})")
    return f"{kept}, the best on validation"


def lacking_note(snap: "LibrarySnapshot") -> str:
    """What the status line says of a library opened with tracks lacking an audio vector (a
    run closed half-way): the map showed 49 of 91 tracks without a word. Nothing is started
    unasked; nothing is said when only files that could not be read lack one (the run that
    failed on them said so)."""
    if snap.audio_model is None:  # the empty map says what to do already
        return ""
    lacking = snap.stats.tracks.needs_analysis
    unreadable = snap.stats.errors_by_stage.get(f"embed:{snap.audio_model}", 0)
    if lacking <= unreadable:
        return ""
    # of the failures, a click said apart as the summary says it (it read as a damaged file)
    short = min(getattr(snap.stats.tracks, "too_short", 0), unreadable)  # any counts object
    failed = ([f"{unreadable - short} could not be read"] if unreadable > short else []) + (
        [f"{short} too short to analyse"] if short else [])
    return (f"{counted(lacking, 'track')} still {'lacks' if lacking == 1 else 'lack'} an audio "
            "embedding" + (f" ({', '.join(failed)})" if failed else "")
            + f", so the map leaves {'it' if lacking == 1 else 'them'} out: Analyse ▸ Compute "
            "embeddings")
