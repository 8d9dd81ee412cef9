"""The demo library: who plays what, which playlists exist, and writing it all to disk.

A :class:`DemoPlan` is a pure function of ``(n_tracks, seed, seconds)``: artists with a style
and a sound, albums, tracks with tags, and playlists. :func:`generate_demo` renders it into a
folder — audio files (FLAC, Ogg Vorbis, MP3) tagged with mutagen, M3U8 and XSPF playlists and a
manifest — resumably: files are written under a temporary name and renamed when complete, so a
killed run leaves no half file, and the next run renders only what is missing (or cut short:
the manifest records each track's size as written).

Why the playlists are built this way: a graph model can only beat audio-only similarity if the
playlists carry information the audio does not. Every artist belongs to a hidden *scene* (a
circle of artists people listen to together), and scenes are dealt across styles, so one scene
gathers, say, a techno producer, a folk singer and a jazz trio. Most playlists follow a scene;
some pair two artists of one scene; the rest follow what audio *can* see (a genre, a mood) or
what only metadata knows (an era). Audio reveals the scenes only partly — through the artists'
sounds — while playlist co-membership, albums and artists reveal them fully.

Folder layout (``DIR`` is the demo's music folder)::

    DIR/musicsage-demo.json            manifest: plan fingerprint, files, completion, truth
    DIR/<Artist>/<Album>/<NN> <Title>.<flac|ogg|mp3>
    DIR/Playlists/<Name>.<m3u8|xspf>
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from musicsage.demo.aside import (ASIDE_KEY, aside_names, at_planned_names, first_hashes,
                                  hashes_of, move_aside, recorded_aside, written_hashes)
from musicsage.demo.manifest import (MANIFEST, blocked_folder, blocked_words, check_folder,
                                     check_owner, read_manifest, remove_listed_files,
                                     remove_partials, unsound_files, write_manifest,
                                     written_sizes)
from musicsage.demo.plan import (DEFAULT_SECONDS, DEFAULT_TRACKS, FORMATS,
                                 GENERATOR_VERSION, PLAYLIST_DIR, SAMPLE_RATE, DemoPlan,
                                 TrackPlan, plan_demo)
from musicsage.demo.styles import STYLE_BY_KEY
from musicsage.errors import MusicsageError
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

__all__ = ["DEFAULT_SECONDS", "DEFAULT_TRACKS", "FORMATS", "GENERATOR_VERSION", "MANIFEST",
           "PLAYLIST_DIR", "SAMPLE_RATE", "DemoPlan", "GenerateReport", "TrackPlan",
           "check_folder", "encode_audio", "generate_demo", "plan_demo", "read_manifest",
           "render_track", "write_playlists", "write_tags", "write_track"]

# --- rendering and writing -------------------------------------------------------------------


def render_track(track: TrackPlan, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The audio of one planned track (mono float32), identical for identical plans."""
    from musicsage.demo.compose import compose
    from musicsage.demo.render import render

    style = STYLE_BY_KEY[track.style]
    seq = np.random.SeedSequence(track.seed)
    score_seed, audio_seed = seq.spawn(2)
    score = compose(style, track.sound, np.random.default_rng(score_seed), duration=track.duration)
    return render(score, style, sr=sample_rate, rng=np.random.default_rng(audio_seed))


def write_tags(path: Path, fmt: str, track: TrackPlan) -> None:
    """Title, artist, album, album artist, genre, track number and year, per format."""
    if fmt == "mp3":
        from mutagen.id3 import ID3, TALB, TCON, TDRC, TIT2, TPE1, TPE2, TRCK

        tags = ID3()
        tags.add(TIT2(encoding=3, text=track.title))
        tags.add(TPE1(encoding=3, text=track.artist))
        tags.add(TPE2(encoding=3, text=track.artist))
        tags.add(TALB(encoding=3, text=track.album))
        tags.add(TCON(encoding=3, text=track.genre))
        tags.add(TRCK(encoding=3, text=str(track.track_number)))
        tags.add(TDRC(encoding=3, text=str(track.year)))
        tags.save(path, v2_version=4)
        return
    if fmt == "flac":
        from mutagen.flac import FLAC as Tagged
    else:
        from mutagen.oggvorbis import OggVorbis as Tagged
    audio = Tagged(path)
    audio["title"] = track.title
    audio["artist"] = track.artist
    audio["albumartist"] = track.artist
    audio["album"] = track.album
    audio["genre"] = track.genre
    audio["tracknumber"] = str(track.track_number)
    audio["date"] = str(track.year)
    audio.save()


WRITE_BLOCK_SECONDS = 1.0


def encode_audio(path: Path, samples: np.ndarray, sample_rate: int, ext: str) -> None:
    """Encode mono ``samples`` to ``path`` in the format of extension ``ext``, in blocks.

    Why blocks: libsndfile's Vorbis encoder puts buffers proportional to one write call on the
    stack, so a single ``sf.write`` of a long track (about two minutes at 22 kHz) overflows it
    and kills the process with a segmentation fault (python-soundfile #426, libsndfile #1095).
    One-second writes keep every call small; every format goes the same way.
    """
    import soundfile as sf

    fmt, subtype = FORMATS[ext]
    block = max(1, int(sample_rate * WRITE_BLOCK_SECONDS))
    name = os.fspath(path)
    try:
        name.encode(sys.getfilesystemencoding())  # as soundfile encodes a str itself
    except UnicodeEncodeError:  # a folder named in bytes that are not UTF-8 failed there:
        name = os.fsencode(path)  # bytes, only then (its errors say a path as b'Caf\xc3\xa9')
    with sf.SoundFile(name, "w", samplerate=sample_rate, channels=1, format=fmt,
                      subtype=subtype) as out:
        for start in range(0, len(samples), block):
            out.write(samples[start:start + block])


def write_track(root: Path, track: TrackPlan, *, sample_rate: int = SAMPLE_RATE) -> str:
    """Render, encode and tag one track into ``root``; atomic (temporary name, then rename).
    A write that fails (a full disk, a folder turned read-only) is a one-line
    :class:`MusicsageError` naming the folder, and only the ``.part`` file it was writing
    goes."""
    import soundfile as sf
    from mutagen import MutagenError

    final = root / track.relpath
    tmp = final.with_name(f".{final.name}.part")
    samples = render_track(track, sample_rate=sample_rate)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        encode_audio(tmp, samples, sample_rate, track.format)
        write_tags(tmp, track.format, track)
        os.replace(tmp, final)
    except (OSError, sf.LibsndfileError, MutagenError) as exc:
        error = write_error(root, exc, final.parent)  # before the unlink, which frees room
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise error from exc
    return track.relpath


def write_error(root: Path, exc: BaseException, folder: Path | None = None) -> MusicsageError:
    """The one line for a demo file that could not be written into ``root`` (``folder``: the
    one inside it the file goes into). libsndfile reports a full disk without an errno
    ("System error"), hence the look at the room left; worded as the scan's full disk is
    (:func:`~musicsage.library.db_problems.full_disk_message`). A folder that cannot be
    written is looked at before a quota is guessed: an album's folder made read-only was
    told as "disk full, quota or file-size limit?"."""
    import errno

    import soundfile as sf

    from musicsage.library.db_problems import full_disk_message

    cause = exc if isinstance(exc, OSError) else exc.__context__
    detail = getattr(cause, "strerror", None) or str(exc).strip() or type(exc).__name__
    full = getattr(cause, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
    no_errno = not full and not isinstance(cause, OSError)
    if no_errno:
        try:
            st = os.statvfs(root)
            full = st.f_bavail * st.f_frsize < 1 << 20  # under 1 MiB left
        except OSError:
            pass
        detail = os.strerror(errno.ENOSPC) if full else detail  # not "System error."
    if full:
        return MusicsageError(full_disk_message(root, detail))
    blocked = blocked_folder(folder or root)
    if blocked is not None:
        return MusicsageError(f"cannot write the demo music into {root} ({detail}): "
                              f"{blocked_words(blocked)}, then try again")
    # a quota, ``ulimit -f``: not a folder to make writable. libsndfile's write says only
    # "System error." (its code 2, no errno); any other error keeps the advice below
    system_error = no_errno and isinstance(exc, sf.LibsndfileError) and exc.code == 2
    if system_error or getattr(cause, "errno", None) == errno.EFBIG:
        return MusicsageError(f"cannot write the demo music into {root} ({detail}): a file "
                              "could not be written (disk full, quota or file-size limit?); "
                              "make room or raise the limit, then try again")
    return MusicsageError(f"cannot write the demo music into {root} ({detail}): choose "
                          "another folder, or make this one writable, then try again")


@dataclass
class GenerateReport:
    music_dir: Path
    tracks: int
    playlists: int
    rendered: int  # tracks rendered by this call (0 when everything was there)
    fingerprint: str
    kept: list[Path] = field(default_factory=list)
    """Files at the old demo's names, not as it wrote them, moved aside instead of deleted
    (:mod:`musicsage.demo.aside`)."""


def _prepare_folder(music_dir: Path, plan: DemoPlan, files: list[str]) -> list[Path]:
    """Make ``music_dir`` ready for ``plan`` (whose files are ``files``): an old demo of
    other parameters is removed — exactly the files its manifest lists, under
    :mod:`musicsage.demo.manifest`'s rules (:func:`generate_demo` has refused another
    library's demo already) — and what is then left at the new demo's names, not the old
    demo's as it wrote it, is moved aside, not taken for the new demo's (returned: the new
    names; resuming a stopped build of ``plan``, those it moved aside: said again)."""
    check_folder(music_dir)
    manifest = read_manifest(music_dir)
    kept: list[Path] = []
    if manifest is not None and manifest["fingerprint"] == plan.fingerprint:
        return recorded_aside(music_dir, manifest)  # resuming a stopped run of this plan
    if manifest is not None:
        remove_partials(music_dir, manifest["files"])
        remove_listed_files(music_dir, manifest, kept)
        kept.extend(move_aside(path) for path in at_planned_names(music_dir, files))
    return kept


def generate_demo(music_dir: str | os.PathLike[str], *, n_tracks: int = DEFAULT_TRACKS,
                  seed: int = 0, seconds: float = DEFAULT_SECONDS, workers: int | None = None,
                  progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                  library: Path | None = None) -> GenerateReport:
    """Write the demo library into ``music_dir`` (resumable; a finished demo returns at once).

    ``workers`` threads render in parallel (default: up to 2; one for small demos).
    ``library``: the data dir of the library the demo is for, recorded in the manifest as the
    folder's owner; a folder that holds another owner's demo is refused (``check_owner``).
    """
    music_dir = Path(music_dir).expanduser().resolve()
    plan = plan_demo(n_tracks, seed=seed, seconds=seconds)
    total = len(plan.tracks) + 1
    check_owner(music_dir, library)
    manifest = read_manifest(music_dir)
    same = manifest is not None and manifest.get("fingerprint") == plan.fingerprint
    gone, damaged = unsound_files(music_dir, manifest) if same else ([], [])
    if same and manifest.get("complete") and not gone and not damaged:
        if library is not None and manifest.get("library") != str(library):
            # adopted (no library claimed it, or an older manifest): record the new owner
            _write_manifest(music_dir, {**manifest, "library": str(library),
                                        "hashes": _recorded_hashes(music_dir, manifest)})
        report(progress, "generate", total, total, "demo files present")
        return GenerateReport(music_dir, len(plan.tracks), len(plan.playlists), 0, plan.fingerprint)

    files = [t.relpath for t in plan.tracks] + [p.relpath for p in plan.playlists]
    kept = _prepare_folder(music_dir, plan, files)
    music_dir.mkdir(parents=True, exist_ok=True)
    remove_partials(music_dir, files)
    # the sizes known stay recorded until the end: a damaged file is found again if killed
    sizes = written_sizes(manifest) if same else {}
    hashes = _recorded_hashes(music_dir, manifest) if same else {}
    _write_manifest(music_dir, _manifest(plan, files, complete=False, library=library,
                                         sizes=sizes, hashes=hashes, aside=aside_names(music_dir, kept)))

    todo = [t for t in plan.tracks
            if t.relpath in damaged or not (music_dir / t.relpath).is_file()]
    done = len(plan.tracks) - len(todo)
    report(progress, "generate", done, total, "rendering tracks")
    if workers is None:
        workers = 1 if len(todo) < 24 else min(2, os.cpu_count() or 1)
    if workers <= 1:
        for track in todo:
            check_cancel(cancel)
            write_track(music_dir, track, sample_rate=plan.sample_rate)
            done += 1
            report(progress, "generate", done, total, track.relpath)
    else:
        done = _render_parallel(music_dir, plan, todo, workers, done, total, progress, cancel)

    check_cancel(cancel)
    written = write_playlists(music_dir, plan) + [track.relpath for track in todo]
    _write_manifest(music_dir, _manifest(
        plan, files, complete=True, library=library,
        sizes=_sizes_of(music_dir, plan, sizes, todo),
        hashes=hashes_of(music_dir, files, hashes, written,
                         resumed=same and not manifest.get("complete"))))
    report(progress, "generate", total, total, "playlists written")
    return GenerateReport(music_dir, len(plan.tracks), len(plan.playlists), len(todo),
                          plan.fingerprint, kept)


def _recorded_hashes(music_dir: Path, manifest: dict) -> dict[str, str]:
    """The hashes ``manifest`` records, to be carried into the one that replaces it; for a
    finished demo of an earlier version (none recorded) those its files get now
    (:func:`~musicsage.demo.aside.first_hashes`): rewritten without them, the manifest's own
    time no longer told the user's later edits from the demo's files."""
    recorded = written_hashes(manifest)
    if recorded is None and manifest.get("complete"):
        return first_hashes(music_dir, manifest, music_dir / MANIFEST)
    return recorded or {}


def _render_parallel(music_dir: Path, plan: DemoPlan, todo: list[TrackPlan], workers: int, done: int,
                     total: int, progress: ProgressFn | None, cancel: CancelToken | None) -> int:
    """Render on a thread pool: numpy, scipy's filters and FFTs and libsndfile's encoders
    release the GIL, and threads (unlike processes) are safe from any caller — a GUI worker
    thread or a script without a ``__main__`` guard."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-render") as pool:
        pending: set[Future] = {pool.submit(write_track, music_dir, t, sample_rate=plan.sample_rate)
                                for t in todo}
        try:
            while pending:
                finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for fut in finished:
                    rel = fut.result()
                    done += 1
                    report(progress, "generate", done, total, rel)
                check_cancel(cancel)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
    return done


def _write_manifest(music_dir: Path, data: dict) -> None:
    """:func:`~musicsage.demo.manifest.write_manifest`, a failure said as a track's is
    (:func:`write_error`): a full disk was "No space left on device:
    DIR/.musicsage-demo.json.part", with no word of what to do."""
    try:
        write_manifest(music_dir, data)
    except OSError as exc:
        raise write_error(music_dir, exc) from exc


def write_playlists(music_dir: Path, plan: DemoPlan) -> list[str]:
    """Write the plan's playlists that are not there; returns the names written. One that
    exists is left as it is: a repair (a track rendered again) rewrote every playlist,
    losing a user's own edits. One that cannot be written is said as a track is
    (:func:`write_error`): a full disk was "No space left on device:
    DIR/Playlists/.NAME.m3u8.part", with no word of what to do."""
    from musicsage.demo.playlists import Entry, write_playlist

    written = []
    for pl in plan.playlists:
        if os.path.lexists(music_dir / pl.relpath):
            continue
        entries = [Entry(music_dir / plan.tracks[i].relpath, plan.tracks[i].title, plan.tracks[i].artist,
                         plan.tracks[i].duration) for i in pl.tracks]
        try:
            write_playlist(music_dir / pl.relpath, entries, name=pl.name, fmt=pl.format,
                           absolute=pl.absolute)
        except OSError as exc:
            raise write_error(music_dir, exc, (music_dir / pl.relpath).parent) from exc
        written.append(pl.relpath)
    return written


def _sizes_of(music_dir: Path, plan: DemoPlan, recorded: dict[str, int],
              rendered: list[TrackPlan]) -> dict[str, int]:
    """The size of each track as written, for the manifest (see
    :func:`~musicsage.demo.manifest.unsound_files`): a track rendered now, or with no size
    recorded, as it is on disk; another keeps its recorded size — one a user's tags made
    larger, recorded so, was taken for cut short once the tags were taken out again. One
    deleted meanwhile has none (the next run finds it gone)."""
    fresh = {track.relpath for track in rendered}
    sizes = {}
    for track in plan.tracks:
        if track.relpath in recorded and track.relpath not in fresh:
            sizes[track.relpath] = recorded[track.relpath]
            continue
        with suppress(OSError):
            sizes[track.relpath] = (music_dir / track.relpath).stat().st_size
    return sizes


def _manifest(plan: DemoPlan, files: list[str], *, complete: bool,
              library: Path | None = None, sizes: dict[str, int] | None = None,
              hashes: dict[str, str] | None = None, aside: list[str] | None = None) -> dict:
    """What a later run (and a curious user or benchmark) needs to know about this folder.

    ``library`` (left out when None) is the data dir of the library that owns the folder.
    ``sizes``: each track's size as written, by which a file cut short is told from one
    that is whole (a repair renders it again). ``hashes``: each file's SHA-256 as written,
    by which a rebuild tells the demo's files from a user's under the same names
    (:mod:`musicsage.demo.aside`). ``aside``: the files an unfinished build moved aside
    (:data:`~musicsage.demo.aside.ASIDE_KEY`; left out when none).
    ``truth`` holds the hidden factors (style and scene per track, playlist kinds), for
    benchmarks that ask how much of them audio or the graph model recovers; the app never
    reads it.
    """
    return {
        "generator": "musicsage demo", "version": GENERATOR_VERSION, "fingerprint": plan.fingerprint,
        "seed": plan.seed, "n_tracks": plan.n_tracks, "seconds": plan.seconds,
        "sample_rate": plan.sample_rate, "complete": complete, "files": files,
        "playlist_dir": PLAYLIST_DIR, **({"library": str(library)} if library else {}),
        "sizes": sizes or {}, "hashes": hashes or {}, **({ASIDE_KEY: aside} if aside else {}),
        "truth": {
            "tracks": [{"path": t.relpath, "style": t.style, "scene": t.scene, "artist": t.artist_index}
                       for t in plan.tracks],
            "playlists": [{"path": p.relpath, "kind": p.kind} for p in plan.playlists],
            "artists": [asdict(a) for a in plan.artists],
        },
    }
