"""Playlist use cases: tracks to add to a playlist, and adding them to (or removing them
from) its file.

``suggest PLAYLIST`` and the window's Suggestions panel call :func:`suggest_tracks`; "Add to
playlist" (the window's button, ``suggest … --add``) calls :func:`add_to_playlist`, and
``suggest … --remove`` calls :func:`remove_from_playlist`: only they write into the user's
own playlist file, only then, in its own format, with a backup.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from musicsage.search.types import SPACES, SuggestResult
from musicsage.usecases.execution import Mode, runs
from musicsage.usecases.spaces import SearchSpaces, with_left_out

if TYPE_CHECKING:
    import sqlite3

    from musicsage.context import AppContext
    from musicsage.errors import MusicsageError
    from musicsage.library.playlists.edit import AddReport
    from musicsage.library.playlists.remove import RemoveReport

NO_MEMBER = "no member of the playlist"
"""Who has no vector when a playlist's list is empty for want of one, in the words of
:func:`~musicsage.search.suggest.suggestion_lists`."""


@runs(Mode.LOOKUP, progress=False, cancel=False)
def resolve_playlist(ctx: "AppContext", playlist: int | str, *, exact: bool = False) -> int:
    """The playlist id a user's PLAYLIST names: an id, the file's path, or its name (with
    ``exact``, for a write, its whole name: not a piece of it).
    Raises :class:`~musicsage.search.playlist_query.AmbiguousPlaylist` when the name fits
    several, MusicsageError when none — or when it is empty: ``suggest ''`` said "no playlist
    matches ''" where ``similar ''`` says the query is empty."""
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.search.playlist_query import resolve_playlist as resolve

    if not str(playlist).strip():
        raise MusicsageError("empty playlist: give a playlist id, a path or a name")
    return resolve(connect(ctx), playlist, exact=exact)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def suggest_tracks(ctx: "AppContext", playlist: int | str, k: int = 10, space: str = "both", *,
                   variety: bool = False, method: str | None = None,
                   spaces: SearchSpaces | None = None) -> SuggestResult:
    """Ranked tracks of the whole library to add to ``playlist`` (see
    :func:`resolve_playlist`), graph model and audio alone; members, their copies and
    missing files are never suggested; every row has a ``why``."""
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.library.relations import playlist_member_ids
    from musicsage.search.scoring import METHODS
    from musicsage.search.suggest import DEFAULT_METHOD, suggestion_lists
    from musicsage.usecases.search import cached_tags_of, embed_places_it

    if space not in ("graph", "audio", "both"):
        raise MusicsageError(f"unknown space {space!r} (graph, audio or both)")
    if int(k) < 1:
        raise MusicsageError("k must be at least 1")
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise MusicsageError(f"unknown method {method!r} (choose: {', '.join(METHODS)})")
    playlist_id = resolve_playlist(ctx, playlist)
    spaces = spaces if spaces is not None else SearchSpaces(ctx)
    wanted = SPACES if space == "both" else (space,)
    every = {name: spaces.get(name) for name in SPACES}
    found = {name: every[name] if name in wanted else f"{name} space not requested"
             for name in SPACES}
    result = suggestion_lists(connect(ctx), playlist_id, found, k=int(k), space=space,
                              variety=bool(variety), method=method, rank_spaces=every,
                              tags_of=cached_tags_of(ctx))
    members = playlist_member_ids(connect(ctx), playlist_id)
    placed = embed_places_it(ctx, with_left_out(result, spaces, wanted), NO_MEMBER,
                             track_ids=members)
    result = members_damaged(placed, spaces, members)
    told = result is not placed  # the damaged members' note says which failed, and why
    result = members_not_analysable(ctx, members_left_out(result, spaces, members), found,
                                    members)
    return result if told else members_failed(ctx, result, found, members)


@runs(Mode.LOOKUP, progress=False, cancel=False)
def suggestions_or_reason(ctx: "AppContext", playlist: int | str, k: int = 10,
                          space: str = "both", *, variety: bool = False,
                          spaces: SearchSpaces | None = None) -> SuggestResult | str:
    """:func:`suggest_tracks` for the window: a playlist with nothing to suggest from (empty,
    its entries unresolved) gives the reason, not a failure — a failure is an error box,
    which choosing a fresh playlist, or removing a playlist's last track, popped up."""
    from musicsage.search.suggest import NothingToSuggest

    try:
        return suggest_tracks(ctx, playlist, k, space, variety=variety, spaces=spaces)
    except NothingToSuggest as exc:
        return str(exc)


def members_failed(ctx: "AppContext", result: SuggestResult, found: dict,
                   members: Sequence[int]) -> SuggestResult:
    """``result`` with what ``similar`` says of a query that could not be analysed, said of
    the members that could not be (:func:`~musicsage.search.suggest.failed_members_note`)."""
    from dataclasses import replace

    from musicsage.library.db import connect
    from musicsage.search.index import SpaceIndex
    from musicsage.search.suggest import failed_members_note

    audio = found.get("audio")
    if not isinstance(audio, SpaceIndex):
        return result
    note = failed_members_note(connect(ctx), audio, list(members),
                               result.members_used.get("audio", 0), result.notes.get("audio"))
    return replace(result, notes={**result.notes, "audio": note}) if note else result


def members_damaged(result: SuggestResult, spaces: SearchSpaces,
                    members: Sequence[int]) -> SuggestResult:
    """``result`` with, where every member's stored audio vector is damaged (the space
    dropped them all) and an embed analyses them again, what ``similar`` and ``radio`` say of
    such a query or seed (:func:`~musicsage.usecases.left_out_notes.damaged_vector_note`):
    "no member of the playlist has an audio embedding" was said of members that have one.
    That note says which of them failed their analysis, and why: :func:`members_failed` is
    not asked after it (it said them again, as members with "no audio embedding")."""
    from dataclasses import replace

    from musicsage.search.similar import no_vector_note
    from musicsage.search.suggest import ONLY_MEMBER
    from musicsage.usecases.left_out_notes import damaged_vector_note

    if result.notes.get("audio") != no_vector_note("audio", NO_MEMBER):
        return result
    one = len(set(members)) == 1  # "no member …: its only member's" said it twice
    note = damaged_vector_note(spaces, "audio", members, ONLY_MEMBER if one else NO_MEMBER)
    return replace(result, notes={**result.notes, "audio": note}) if note else result


def members_left_out(result: SuggestResult, spaces: SearchSpaces,
                     members: Sequence[int]) -> SuggestResult:
    """``result`` with, for a space where no member has a vector it searches while some have
    one of another analysis version (a re-analysis under way or cut short), what ``similar``
    says of such a query: they are left out, not without a vector ("no member of the
    playlist has no audio embedding" said the opposite), and ``musicsage embed`` redoes
    them — not those imported from a dataset dir without a file, nor missing ones until they
    are back, told so as ``similar`` tells such a query
    (:func:`~musicsage.usecases.left_out_notes.reanalysis_said`)."""
    from dataclasses import replace

    from musicsage.library.db import connect
    from musicsage.library.queries import track_summaries
    from musicsage.search.similar import other_version_note
    from musicsage.usecases.left_out_notes import reanalysis_said

    notes = {}
    for name, used in result.members_used.items():
        left_out = spaces.left_out_ids(name)
        theirs = left_out.intersection(members)
        own = len(theirs)
        if used or not own:
            continue
        rows = list(track_summaries(connect(spaces.ctx), sorted(theirs)).values())
        n = len(members)
        what = (f"the playlist's {n} members" if own == n > 1 else
                "the playlist's only member" if own == n else
                "the playlist's only analysed member" if own == 1 else
                f"{own} of the playlist's {n} members")
        notes[name] = reanalysis_said(other_version_note(name, len(left_out), what, own=own),
                                      rows, shown_old=spaces.shown_old(name))
    return replace(result, notes={**result.notes, **notes}) if notes else result


def members_not_analysable(ctx: "AppContext", result: SuggestResult, found: dict,
                           members: Sequence[int]) -> SuggestResult:
    """``result`` with, where no member has an audio vector and an embed cannot analyse some
    of them now (imported from a dataset dir without a file, missing files), the advice said
    only of those it can (:func:`~musicsage.usecases.left_out_notes.embed_cannot_analyse`):
    "(Compute embeddings in the window, or musicsage embed)" was said of members an embed
    skips, every one of them — nor of those whose analysis failed (:func:`members_failed`
    says why next)."""
    from dataclasses import replace

    from musicsage.library.db import connect
    from musicsage.library.queries import read_failure, track_summaries
    from musicsage.search.similar import no_vector_note
    from musicsage.search.suggest import ONLY_MEMBER
    from musicsage.usecases.left_out_notes import embed_cannot_analyse, no_file_to_analyse

    note, model = result.notes.get("audio"), getattr(found.get("audio"), "model_id", None)
    if note != no_vector_note("audio", NO_MEMBER):
        return result
    conn = connect(ctx)
    rows = list(track_summaries(conn, sorted(set(members))).values())
    # those :func:`members_failed` tells of (a missing file's scan failure too) are told
    # there alone: a missing member with one was counted in both notes
    told = [r for r in rows if read_failure(conn, [str(r["path"])], model) is None]
    if len(rows) == 1:  # "no member of the playlist …: it cannot be analysed" of one member
        said = (no_file_to_analyse(rows[0], ONLY_MEMBER) if told else None) or note
    else:
        said = embed_cannot_analyse(note, told, len(rows) - len(told))
    return replace(result, notes={**result.notes, "audio": said}) if said != note else result


SAVE_ELSEWHERE = "save the suggestions as a playlist of their own with `--m3u FILE`"
"""The command line's way to keep the suggestions a read-only playlist refused (the window
gives its own: :data:`musicsage.controllers.suggestions.SAVE_ELSEWHERE`)."""


@runs(Mode.THREAD)
def add_to_playlist(ctx: "AppContext", playlist: int | str, track_ids: Sequence[int], *,
                    expected_sha256: str | None = None, progress=None, cancel=None,
                    other_way: str = SAVE_ELSEWHERE) -> "AddReport":
    """Write ``track_ids`` into ``playlist``'s own file (its format, encoding, line endings and
    path style; existing bytes kept), after a backup in the data dir, then re-import it as a
    scan would. Refuses, touching nothing, when the file changed on disk since it was imported
    or — with ``expected_sha256``, the hash :func:`suggest_tracks` reported — since it was
    read. Tracks already in it — or a copy of one's file (the same content), which
    suggestions never hold either (:func:`~musicsage.search.suggest.copies_of_members`;
    another version of the song, by title and artist, is added: the user named it) —,
    missing files (also one deleted since the last scan: :func:`files_gone`) and file-less
    tracks are skipped. While a scan of the library runs, the write waits for it and
    ``progress`` says so. ``other_way``: the front end's way to keep the tracks should the
    file be read-only (:func:`read_only_said`). ``cancel`` is heard only before anything is
    written: while two large copies are compared whole (a cancel, the window's close
    included, went unheard for as long as that took) and while the write waits for a scan
    (unheard, a cancelled add wrote once the scan ended); never once the write began."""
    from musicsage.library.db import connect
    from musicsage.library.playlists.edit import add_to_playlist as add
    from musicsage.library.relations import playlist_member_ids
    from musicsage.search.suggest import copies_of_members

    conn, playlist_id = connect(ctx), resolve_playlist(ctx, playlist, exact=True)
    ids = [int(t) for t in track_ids]
    members = playlist_member_ids(conn, playlist_id)
    left_out = copies_of_members(conn, ids, members, same_content_only=True, cancel=cancel)
    left_out.update(files_gone(conn, [t for t in ids if t not in left_out], members))
    with written_unrecorded_said(ctx, conn, playlist_id, "added to"), \
            read_only_said(conn, playlist_id, other_way):
        report = add(conn, ctx.data_dir, playlist_id, [t for t in ids if t not in left_out],
                     expected_sha256=expected_sha256, progress=progress, cancel=cancel)
    report.skipped += [{"track_id": t, "reason": why} for t, why in left_out.items()]
    return report


FILE_GONE = "its file was deleted or moved since the last scan"
"""Why :func:`add_to_playlist` skips a track :func:`files_gone` finds."""


def files_gone(conn: "sqlite3.Connection", track_ids: Sequence[int],
               members: Sequence[int]) -> dict[int, str]:
    """``{track_id: reason}`` for those of ``track_ids`` (members aside: "already in the
    playlist" says more) the library holds as present whose file is not in its folder now:
    a suggestion whose file was deleted after the last scan was written into the playlist's
    file as an entry to nothing, and "Added 1 track" said. A file whose folder is gone too
    (a drive not mounted) is written: its entry reads back once the drive is back, as the
    scan keeps such tracks. One marked missing, or without a file, is the edit's own skip."""
    from musicsage.library.paths import is_file_path, to_fs
    from musicsage.library.queries import track_summaries

    held = set(members)
    rows = track_summaries(conn, [t for t in track_ids if t not in held])
    return {tid: FILE_GONE for tid, row in rows.items()
            if row["status"] == "present" and is_file_path(str(row["path"]))
            and _deleted(to_fs(str(row["path"])))}


def _deleted(fs_path: str) -> bool:
    """Whether the file at ``fs_path`` is gone from a folder that is still there."""
    import os

    return not os.path.lexists(fs_path) and os.path.isdir(os.path.dirname(fs_path))


@runs(Mode.THREAD)
def remove_from_playlist(ctx: "AppContext", playlist: int | str, track_ids: Sequence[int], *,
                         expected_sha256: str | None = None, progress=None,
                         cancel=None) -> "RemoveReport":
    """Take ``track_ids`` out of ``playlist``'s own file — every entry of each, a track listed
    twice included — keeping every other byte, after a backup in the data dir, then re-import
    it as a scan would. The same refusals as :func:`add_to_playlist` (changed on disk since
    imported or read, read-only; a player's library file or a dataset playlist, which have no
    file of their own); tracks not in the playlist are skipped. While a scan of the library
    runs, the write waits for it, ``progress`` says so and ``cancel`` is heard (nothing
    written): the window's Cancel did nothing visible, and the tracks went once the scan
    ended. Never once the write began."""
    from musicsage.library.db import connect
    from musicsage.library.playlists.remove import remove_from_playlist as remove

    pid = resolve_playlist(ctx, playlist, exact=True)  # a write: no piece of a name
    conn = connect(ctx)
    with written_unrecorded_said(ctx, conn, pid, "removed from"), read_only_said(conn, pid):
        return remove(conn, ctx.data_dir, pid, list(track_ids),
                      expected_sha256=expected_sha256, progress=progress, cancel=cancel)


@contextmanager
def read_only_said(conn: "sqlite3.Connection", playlist_id: int,
                   other_way: str | None = None) -> Iterator[None]:
    """A read-only playlist's refusal with why, and the way on, in words that fit the cause
    and the front end: the library's line said "make it writable (chmod u+w)" of another
    user's file and of one on a read-only disk too, and named both front ends' ways to keep
    the suggestions (the window's Save…, the command line's ``--m3u FILE``) to each.
    ``other_way``: the caller's, for an add (None: a removal, which no other file makes)."""
    from musicsage.library.paths import to_fs
    from musicsage.library.playlists.edit import PlaylistReadOnly
    from musicsage.library.relations import playlist_row

    try:
        yield
    except PlaylistReadOnly as exc:
        row = playlist_row(conn, playlist_id)
        if row is None:
            raise
        raise PlaylistReadOnly(read_only_line(str(exc), to_fs(str(row["path"])),
                                              other_way)) from exc


def read_only_line(line: str, fs_path: str, other_way: str | None) -> str:
    """``line`` (the library's: which file, not touched) with why the file at ``fs_path`` is
    read-only and the way on that fits the cause: a removal refused for another user's file,
    a read-only disk or an ACL ended with the cause alone."""
    import os
    import stat

    try:
        real = os.path.realpath(fs_path)
        st, on_read_only_disk = os.stat(real), os.statvfs(real).f_flag & os.ST_RDONLY
    except OSError:  # gone meanwhile: the library's line alone
        return f"{line}; {other_way} instead" if other_way else line
    if on_read_only_disk:
        why, fix = "it is on a read-only disk", "remount that disk writable"
    elif st.st_uid != os.geteuid():
        why, fix = f"it belongs to {_user_name(st.st_uid)}", "ask its owner to change it"
    elif not st.st_mode & stat.S_IWUSR:
        chmod = "make it writable (chmod u+w) and try again"
        return f"{line}: {chmod}, or {other_way}" if other_way else f"{line}: {chmod}"
    else:  # our own file, writable by its mode: an ACL or an immutable attribute stops us
        why = "its ACL or attributes forbid writing it"
        fix = "ask whoever set them to lift them (getfacl, lsattr show them)"
    if other_way is None:
        return f"{line}: {why}; {fix}, or {COPY_OF_YOUR_OWN}"
    return f"{line}: {why}; {other_way} instead"


COPY_OF_YOUR_OWN = "copy it to a playlist file of your own and import that"
"""A removal's way on where the file cannot be made writable (another user's, on a read-only
disk): the tracks may go from a copy that is the user's."""


def _user_name(uid: int) -> str:
    """The login name of ``uid`` ("user 1001" where the system knows none: a container's)."""
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


@contextmanager
def written_unrecorded_said(ctx: "AppContext", conn: "sqlite3.Connection", playlist_id: int,
                            done: str) -> Iterator[None]:
    """Say so when the playlist's file was written but the library database then failed to
    record it (a full disk, a lock held too long): the write re-imports the file it wrote,
    and that failure read "unexpected error (… database or disk is full) … this is a bug"
    or "make room on it, then try again" — though the tracks were already ``done`` (added to,
    removed from) the file, and a try again was refused as "changed on disk". The line keeps
    the database's own line (:func:`~musicsage.failures.database_failure`: what to do about
    the disk or the lock; its "try again" cut: a scan is the way on) and names the backup the
    write made (:func:`~musicsage.library.playlists.backups.made_by`). A bug (an
    IntegrityError) and a damaged database (whose own line says to move it aside, not to scan
    into it) go on unchanged, as do other failures and one that left the file as it was."""
    import sqlite3

    from musicsage.library.paths import is_file_path, shown, to_fs
    from musicsage.library.playlists.backups import made_by
    from musicsage.library.relations import playlist_names, playlist_row
    from musicsage.search.suggest import file_sha256

    row = playlist_row(conn, playlist_id)
    if row is None or not is_file_path(str(row["path"])):  # no file: nothing written first
        yield
        return
    fs_path = to_fs(str(row["path"]))
    name = playlist_names(conn).get(playlist_id, shown(fs_path))  # now: the database may fail
    before = file_sha256(fs_path)
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if before is None or file_sha256(fs_path) in (before, None):
            raise
        why = _recordable_failure(exc, ctx)
        if why is None:
            raise
        raise _written_unrecorded(name, fs_path, done, why, made_by(exc)) from exc


def _recordable_failure(exc: "sqlite3.DatabaseError", ctx: "AppContext") -> str | None:
    """The database's own line for ``exc`` when a later scan can record the written file
    (a full disk, a lock, a read-only file), else None: a bug, or a damaged database."""
    from musicsage.failures import database_failure
    from musicsage.library.db_problems import is_damaged_error

    return None if is_damaged_error(exc) else database_failure(exc, ctx)


_TRY_AGAIN = re.compile(r"(?:,? then try again|; try again once [^;]*)$")
"""The end of a database line that says to try again (a full disk's "make room on it, then
try again", a lock's "try again once it has finished"): after a write the library did not
record, the write tried again is refused as "changed on disk"; a scan is the way on."""


def _without_try_again(why: str) -> str:
    """``why``, the database's own line, without its closing "try again" (:data:`_TRY_AGAIN`)."""
    return _TRY_AGAIN.sub("", why)


def _written_unrecorded(name: str, fs_path: str, done: str, why: str,
                        backup: Path | None) -> "MusicsageError":
    """The one line: what the file holds now, its backup, the database's line, and the way to
    record it (a scan reads the file; the add or removal again is refused as changed)."""
    from musicsage.errors import MusicsageError
    from musicsage.library.paths import shown
    from musicsage.library.playlists.backups import BACKUP_DIR

    kept = f"backup: {shown(backup)}" if backup is not None else f"backup in {BACKUP_DIR}/"
    return MusicsageError(f"the tracks were {done} playlist {name!r} ({shown(fs_path)}; {kept}) "
                          f"but the library did not record it: {_without_try_again(why)}; "
                          "once it can be written, run `musicsage scan` (Rescan in the window), "
                          "which reads the file")
