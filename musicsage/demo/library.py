"""The demo library: who plays what, which playlists exist, and writing it all to disk.

A :class:`DemoPlan` is a pure function of ``(n_tracks, seed, seconds)``: artists with a style
and a sound, albums, tracks with tags, and playlists. :func:`generate_demo` renders it into a
folder — audio files (FLAC, Ogg Vorbis, MP3) tagged with mutagen, M3U8 and XSPF playlists and a
manifest — resumably: files are written under a temporary name and renamed when complete, so a
killed run leaves no half file, and the next run renders only what is missing.

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

import hashlib
import json
import math
import os
import re
import unicodedata
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from musicsage.demo import names
from musicsage.demo.compose import Sound, album_sound, artist_sound
from musicsage.demo.manifest import (MANIFEST, check_folder, read_manifest,  # noqa: F401
                                     remove_listed_files, remove_partials, write_manifest)
from musicsage.demo.styles import STYLE_BY_KEY, STYLES
from musicsage.errors import MusicsageError
from musicsage.progress import CancelToken, ProgressFn, check_cancel, report

GENERATOR_VERSION = 1
"""Bump when a change to the generator changes the audio or the plan: old demos are rebuilt."""

SAMPLE_RATE = 22050
DEFAULT_TRACKS = 240
DEFAULT_SECONDS = 20.0
PLAYLIST_DIR = "Playlists"

FORMATS = {  # extension -> (libsndfile format, subtype)
    "flac": ("FLAC", "PCM_16"),
    "ogg": ("OGG", "VORBIS"),  # MP3 encodes ~10x slower than FLAC, Vorbis ~5x: FLAC is the majority
    "mp3": ("MP3", "MPEG_LAYER_III"),
}
CHILL_STYLES = ("ambient", "lofi_hiphop", "folk", "dub", "jazz")
ENERGY_STYLES = ("techno", "drum_and_bass", "deep_house", "indie_rock", "chiptune", "synthwave")


@dataclass(frozen=True)
class TrackPlan:
    index: int
    relpath: str  # POSIX, relative to the demo folder
    title: str
    artist: str
    album: str
    genre: str
    track_number: int
    year: int
    style: str
    scene: int
    artist_index: int
    seed: int
    duration: float
    popularity: float
    sound: Sound

    @property
    def format(self) -> str:
        return self.relpath.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class PlaylistPlan:
    relpath: str
    name: str
    kind: str  # scene | pair | style | mood | era
    tracks: tuple[int, ...]
    absolute: bool  # absolute paths (else relative to the playlist's folder)

    @property
    def format(self) -> str:
        return self.relpath.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class ArtistPlan:
    name: str
    style: str
    scene: int


@dataclass
class DemoPlan:
    n_tracks: int
    seed: int
    seconds: float
    sample_rate: int
    artists: list[ArtistPlan]
    tracks: list[TrackPlan]
    playlists: list[PlaylistPlan]
    scenes: list[tuple[int, int]] = field(default_factory=list)  # era (first, last year) per scene

    @property
    def fingerprint(self) -> str:
        """Identifies the audio and playlists this plan produces (not the folder)."""
        key = json.dumps([GENERATOR_VERSION, self.n_tracks, self.seed, self.seconds, self.sample_rate])
        return hashlib.sha1(key.encode()).hexdigest()[:16]


# --- planning --------------------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A file/folder name component: NFC, no separators or characters Windows forbids."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", text).strip(" .")
    return text or "untitled"


def _split(total: int, parts: int, rng: np.random.Generator, *, minimum: int, alpha: float) -> list[int]:
    """``total`` split into ``parts`` random positive sizes (each >= ``minimum``)."""
    parts = max(1, min(parts, total // max(1, minimum)))
    extra = total - parts * minimum
    weights = rng.dirichlet(np.full(parts, alpha))
    sizes = np.floor(weights * extra).astype(int)
    for i in rng.permutation(parts)[: extra - int(sizes.sum())]:
        sizes[i] += 1
    return [minimum + int(s) for s in sizes]


def plan_demo(n_tracks: int = DEFAULT_TRACKS, *, seed: int = 0,
              seconds: float = DEFAULT_SECONDS) -> DemoPlan:
    """Decide everything about the demo library (cheap, deterministic, no I/O)."""
    if n_tracks < 8:
        raise MusicsageError("the demo needs at least 8 tracks")
    if not 1.0 <= seconds <= 600.0:
        raise MusicsageError("demo track length must be between 1 and 600 seconds")
    root = np.random.SeedSequence([seed, 0xDE30])
    rng = np.random.default_rng(root.spawn(1)[0])

    # artists: one style each (dealt so every style is used), a hidden scene each
    n_artists = min(int(np.clip(round(n_tracks / 10), 4, 60)), n_tracks // 2)
    style_order = [STYLES[i].key for i in rng.permutation(len(STYLES))]
    artist_styles = [style_order[i % len(style_order)] for i in range(n_artists)]
    n_scenes = int(np.clip(round(n_artists / 5), 2, 10))
    # deal artists sorted by style round-robin into scenes: each scene mixes styles
    by_style = sorted(range(n_artists), key=lambda a: (style_order.index(artist_styles[a]), a))
    offset = int(rng.integers(n_scenes))
    artist_scene = [0] * n_artists
    for rank, a in enumerate(by_style):
        artist_scene[a] = (rank + offset) % n_scenes
    scene_eras = []
    for _ in range(n_scenes):
        first = int(rng.integers(1996, 2019))
        scene_eras.append((first, first + int(rng.integers(3, 7))))

    taken: set[str] = set()
    artists = [ArtistPlan(names.unique(lambda r, s=artist_styles[a]: names.artist_name(s, r),
                                       taken, rng), artist_styles[a], artist_scene[a])
               for a in range(n_artists)]
    counts = _split(n_tracks, n_artists, rng, minimum=2, alpha=2.5)

    tracks: list[TrackPlan] = []
    seeds = root.spawn(n_tracks + 1)[1:]
    for a, artist in enumerate(artists):
        style = STYLE_BY_KEY[artist.style]
        sound = artist_sound(style, rng)
        album_sizes = _split(counts[a], max(1, math.ceil(counts[a] / 7)), rng,
                             minimum=min(3, counts[a]), alpha=3.0)
        first, last = scene_eras[artist.scene]
        years = sorted(int(rng.integers(first, last + 1)) for _ in album_sizes)
        album_names: set[str] = set()
        for k, size in enumerate(album_sizes):
            album_style, album_base = style, sound
            if k > 0 and rng.random() < 0.15:  # a side project in another style
                others = [s.key for s in STYLES if s.key != style.key]
                album_style = STYLE_BY_KEY[str(rng.choice(others))]
                album_base = artist_sound(album_style, rng)
            a_sound = album_sound(album_base, album_style, rng)
            album = names.unique(names.album_title, album_names, rng)
            ext = str(rng.choice(list(FORMATS), p=[0.55, 0.25, 0.2]))
            titles: set[str] = set()
            for number in range(1, size + 1):
                i = len(tracks)
                title = names.unique(names.track_title, titles, rng)
                relpath = (f"{safe_name(artist.name)}/{safe_name(album)}/"
                           f"{number:02d} {safe_name(title)}.{ext}")
                tracks.append(TrackPlan(
                    index=i, relpath=relpath, title=title, artist=artist.name, album=album,
                    genre=album_style.genre, track_number=number, year=years[k], style=album_style.key,
                    scene=artist.scene, artist_index=a, seed=int(seeds[i].generate_state(1)[0]),
                    duration=round(seconds * float(rng.uniform(0.85, 1.15)), 2),
                    popularity=float(rng.lognormal(0.0, 0.8)), sound=a_sound))

    playlists = _plan_playlists(tracks, artists, scene_eras, rng)
    return DemoPlan(n_tracks=n_tracks, seed=seed, seconds=seconds, sample_rate=SAMPLE_RATE,
                    artists=artists, tracks=tracks, playlists=playlists, scenes=scene_eras)


def _sample(candidates: list[int], weights: np.ndarray, k: int,
            rng: np.random.Generator) -> list[int]:
    """``k`` distinct candidates, drawn with probability proportional to ``weights``."""
    k = min(k, len(candidates))
    if k == 0:
        return []
    p = weights / weights.sum()
    return [candidates[i] for i in rng.choice(len(candidates), size=k, replace=False, p=p)]


PLAYLIST_KINDS = {"scene": 0.5, "pair": 0.15, "style": 0.12, "mood": 0.08, "era": 0.15}
"""Share of each kind of playlist (see the module docstring for why)."""


class _PlaylistPlanner:
    """Draws the tracks and the name of one playlist of each kind (popular tracks more often)."""

    def __init__(self, tracks: list[TrackPlan], artists: list[ArtistPlan],
                 scene_eras: list[tuple[int, int]], rng: np.random.Generator) -> None:
        self.tracks, self.artists, self.scene_eras, self.rng = tracks, artists, scene_eras, rng
        self.popularity = np.array([t.popularity for t in tracks])
        self.taken: set[str] = set()

    def _name(self, make) -> str:
        return names.unique(make, self.taken, self.rng)

    def _popular(self, cands: list[int], size: int) -> list[int]:
        return _sample(cands, self.popularity[cands], size, self.rng)

    def _scene_artists(self, scene: int) -> list[int]:
        return [a for a, art in enumerate(self.artists) if art.scene == scene]

    def scene(self, index: int, size: int) -> tuple[list[int], str]:
        """A scene's tracks, favouring a few of its artists (as one listener would)."""
        scene = index % len(self.scene_eras)
        members = self._scene_artists(scene)
        favour = dict(zip(members, self.rng.dirichlet(np.full(len(members), 0.8))))
        cands = [t.index for t in self.tracks if t.scene == scene]
        weights = np.array([self.popularity[i] * (0.15 + favour[self.tracks[i].artist_index])
                            for i in cands])
        chosen = _sample(cands, weights, size - max(0, size // 10), self.rng)
        return chosen, self._name(names.playlist_name)

    def pair(self, index: int, size: int) -> tuple[list[int], str]:
        """Two artists of one scene — usually of different styles."""
        members = self._scene_artists(int(self.rng.integers(len(self.scene_eras))))
        a, b = (self.rng.choice(members, size=2, replace=False) if len(members) > 1
                else (members[0], members[0]))
        cands = [t.index for t in self.tracks if t.artist_index in (a, b)]
        chosen = self._popular(cands, size)
        return chosen, self._name(lambda r: f"{self.artists[a].name} × {self.artists[b].name}")

    def style(self, index: int, size: int) -> tuple[list[int], str]:
        """One genre, any scene: what audio alone can find."""
        style = str(self.rng.choice(sorted({t.style for t in self.tracks})))
        chosen = self._popular([t.index for t in self.tracks if t.style == style], size)
        genre = STYLE_BY_KEY[style].genre
        return chosen, self._name(lambda r: str(r.choice([f"{genre} Essentials", f"Best of {genre}",
                                                          f"{genre} Mix"])))

    def mood(self, index: int, size: int) -> tuple[list[int], str]:
        """Calm or energetic styles: audio sees this too, across scenes."""
        chill = bool(self.rng.random() < 0.5)
        pool = CHILL_STYLES if chill else ENERGY_STYLES
        chosen = self._popular([t.index for t in self.tracks if t.style in pool], size)
        titles = ["Chill", "Unwind", "Slow Sunday"] if chill else ["Energy", "Workout", "Full Power"]
        return chosen, self._name(lambda r: str(r.choice(titles)))

    def era(self, index: int, size: int) -> tuple[list[int], str]:
        """A few years, any style or scene: only the metadata (year) knows."""
        lo = min(e[0] for e in self.scene_eras)
        hi = max(e[1] for e in self.scene_eras)
        first = int(self.rng.integers(lo, hi + 1))
        cands = [t.index for t in self.tracks if first - 2 <= t.year <= first + 2]
        if len(cands) < 4:
            cands = list(range(len(self.tracks)))
        chosen = self._popular(cands, size)
        return chosen, self._name(lambda r: f"Best of {first}" if r.random() < 0.5
                                  else f"Throwback {first}")


def _plan_playlists(tracks: list[TrackPlan], artists: list[ArtistPlan],
                    scene_eras: list[tuple[int, int]], rng: np.random.Generator) -> list[PlaylistPlan]:
    n = len(tracks)
    n_playlists = int(np.clip(round(n / 6), 6, 80))
    mean_size = float(np.clip(n / 10, 5, 22))
    kinds = rng.choice(list(PLAYLIST_KINDS), size=n_playlists, p=list(PLAYLIST_KINDS.values()))
    kinds[: min(n_playlists, len(scene_eras))] = "scene"  # every scene has a playlist
    planner = _PlaylistPlanner(tracks, artists, scene_eras, rng)
    out: list[PlaylistPlan] = []
    for p, kind in enumerate(kinds):
        size = int(np.clip(round(rng.normal(mean_size, mean_size * 0.3)), 4, 40))
        chosen, name = getattr(planner, str(kind))(p, size)
        # a few strays from anywhere, as in real playlists
        strays = [i for i in rng.choice(n, size=max(0, size // 10), replace=False).tolist()
                  if i not in chosen]
        entries = chosen + strays
        order = rng.permutation(len(entries))
        fmt = "m3u8" if rng.random() < 0.6 else "xspf"
        out.append(PlaylistPlan(relpath=f"{PLAYLIST_DIR}/{safe_name(name)}.{fmt}", name=name,
                                kind=str(kind), tracks=tuple(int(entries[i]) for i in order),
                                absolute=bool(rng.random() < 0.3)))
    return out


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


def write_track(root: Path, track: TrackPlan, *, sample_rate: int = SAMPLE_RATE) -> str:
    """Render, encode and tag one track into ``root``; atomic (temporary name, then rename)."""
    import soundfile as sf

    final = root / track.relpath
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.part")
    samples = render_track(track, sample_rate=sample_rate)
    fmt, subtype = FORMATS[track.format]
    sf.write(tmp, samples, sample_rate, format=fmt, subtype=subtype)
    write_tags(tmp, track.format, track)
    os.replace(tmp, final)
    return track.relpath


@dataclass
class GenerateReport:
    music_dir: Path
    tracks: int
    playlists: int
    rendered: int  # tracks rendered by this call (0 when everything was there)
    fingerprint: str


def _prepare_folder(music_dir: Path, plan: DemoPlan) -> None:
    """Make ``music_dir`` ready for ``plan``: an old demo of other parameters is removed —
    exactly the files its manifest lists, under :mod:`musicsage.demo.manifest`'s rules."""
    check_folder(music_dir)
    manifest = read_manifest(music_dir)
    if manifest is not None and manifest["fingerprint"] != plan.fingerprint:
        remove_listed_files(music_dir, manifest)


def generate_demo(music_dir: str | os.PathLike[str], *, n_tracks: int = DEFAULT_TRACKS,
                  seed: int = 0, seconds: float = DEFAULT_SECONDS, workers: int | None = None,
                  progress: ProgressFn | None = None,
                  cancel: CancelToken | None = None) -> GenerateReport:
    """Write the demo library into ``music_dir`` (resumable; a finished demo returns at once).

    ``workers`` threads render in parallel (default: up to 2; one for small demos).
    """
    music_dir = Path(music_dir).expanduser().resolve()
    plan = plan_demo(n_tracks, seed=seed, seconds=seconds)
    total = len(plan.tracks) + 1
    manifest = read_manifest(music_dir)
    if manifest and manifest.get("fingerprint") == plan.fingerprint and manifest.get("complete") \
            and all((music_dir / rel).is_file() for rel in manifest.get("files", [])):
        report(progress, "generate", total, total, "demo files present")
        return GenerateReport(music_dir, len(plan.tracks), len(plan.playlists), 0, plan.fingerprint)

    _prepare_folder(music_dir, plan)
    music_dir.mkdir(parents=True, exist_ok=True)
    remove_partials(music_dir)
    files = [t.relpath for t in plan.tracks] + [p.relpath for p in plan.playlists]
    write_manifest(music_dir, _manifest(plan, files, complete=False))

    todo = [t for t in plan.tracks if not (music_dir / t.relpath).is_file()]
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
    write_playlists(music_dir, plan)
    write_manifest(music_dir, _manifest(plan, files, complete=True))
    report(progress, "generate", total, total, "playlists written")
    return GenerateReport(music_dir, len(plan.tracks), len(plan.playlists), len(todo), plan.fingerprint)


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


def write_playlists(music_dir: Path, plan: DemoPlan) -> None:
    from musicsage.demo.playlists import Entry, write_playlist

    for pl in plan.playlists:
        entries = [Entry(music_dir / plan.tracks[i].relpath, plan.tracks[i].title, plan.tracks[i].artist,
                         plan.tracks[i].duration) for i in pl.tracks]
        write_playlist(music_dir / pl.relpath, entries, name=pl.name, fmt=pl.format,
                       absolute=pl.absolute)


def _manifest(plan: DemoPlan, files: list[str], *, complete: bool) -> dict:
    """What a later run (and a curious user or benchmark) needs to know about this folder.

    ``truth`` holds the hidden factors (style and scene per track, playlist kinds), for
    benchmarks that ask how much of them audio or the graph model recovers; the app never
    reads it.
    """
    return {
        "generator": "musicsage demo", "version": GENERATOR_VERSION, "fingerprint": plan.fingerprint,
        "seed": plan.seed, "n_tracks": plan.n_tracks, "seconds": plan.seconds,
        "sample_rate": plan.sample_rate, "complete": complete, "files": files,
        "playlist_dir": PLAYLIST_DIR,
        "truth": {
            "tracks": [{"path": t.relpath, "style": t.style, "scene": t.scene, "artist": t.artist_index}
                       for t in plan.tracks],
            "playlists": [{"path": p.relpath, "kind": p.kind} for p in plan.playlists],
            "artists": [asdict(a) for a in plan.artists],
        },
    }
