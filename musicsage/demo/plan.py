"""The demo library's plan: who plays what and which playlists exist — decided, not written.

A :class:`DemoPlan` is a pure function of ``(n_tracks, seed, seconds)`` (cheap, no I/O);
:mod:`musicsage.demo.library` renders it to disk. Why the playlists follow hidden *scenes*:
see that module's docstring.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from musicsage.demo import names
from musicsage.demo.compose import Sound, album_sound, artist_sound
from musicsage.demo.state import MAX_TRACKS
from musicsage.demo.styles import STYLE_BY_KEY, STYLES
from musicsage.errors import MusicsageError

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
    if not 8 <= n_tracks <= MAX_TRACKS:
        raise MusicsageError(f"the demo makes 8 to {MAX_TRACKS:,} tracks")
    if not 1.0 <= seconds <= 600.0:
        raise MusicsageError("demo track length must be between 1 and 600 seconds")
    if seed < 0:  # numpy's seeding refused it deep inside: "unexpected error … a bug"
        raise MusicsageError("the demo's seed must be 0 or more")
    root = np.random.SeedSequence([seed, 0xDE30])
    rng = np.random.default_rng(root.spawn(1)[0])
    artists, scene_eras = _plan_artists(n_tracks, rng)
    tracks = _plan_tracks(artists, scene_eras, n_tracks, seconds, root, rng)
    playlists = _plan_playlists(tracks, artists, scene_eras, rng)
    return DemoPlan(n_tracks=n_tracks, seed=seed, seconds=seconds, sample_rate=SAMPLE_RATE,
                    artists=artists, tracks=tracks, playlists=playlists, scenes=scene_eras)



def _plan_artists(n_tracks: int,
                  rng: np.random.Generator) -> tuple[list[ArtistPlan], list[tuple[int, int]]]:
    """Artists with one style each (dealt so every style is used) and a hidden scene each;
    every scene gets an era (first, last year)."""
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
    return artists, scene_eras


def _plan_tracks(artists: list[ArtistPlan], scene_eras: list[tuple[int, int]], n_tracks: int,
                 seconds: float, root: np.random.SeedSequence,
                 rng: np.random.Generator) -> list[TrackPlan]:
    """Each artist's albums and tracks: sizes, years within the scene's era, a sound per album
    (now and then a side project in another style), a file format per album."""
    n_artists = len(artists)
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
    return tracks


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
