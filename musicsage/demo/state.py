"""Where the demo pipeline stands, in a small JSON file next to the library it fills.

``<data dir>/demo-state.json`` records the demo's parameters, its music folder and which
pipeline stages have finished. Reading it is cheap (no DB, no audio), so a GUI can call
:func:`read_state` at start-up to decide between "show the library" and "build the demo".
Each stage is recorded only once it has finished, so a killed or cancelled build resumes at
the first unfinished stage (and the stages themselves resume inside: files already rendered,
tracks already embedded are skipped).
"""

from __future__ import annotations

import json
import os
import re
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_FILE = "demo-state.json"
MAX_TRACKS = 20_000
"""The most tracks a demo makes: each is a synthesized FLAC file (at the default length the
240-track demo takes 108 MB, so 20,000 take about 9 GB). Kept here, where a state file
naming more is read as damaged, and imported by :mod:`.plan`, which refuses more (importing
the plan here would load numpy with every read of the state)."""
STAGES = ("generate", "scan", "embed", "audio_map", "train", "map")
"""The pipeline, in order: files -> library DB -> audio vectors -> audio map -> graph model ->
graph map. The audio map comes before training so that a front end can show the map and
audio neighbours while the graph model trains."""


@dataclass
class DemoState:
    music_dir: str
    fingerprint: str  # the generator's plan fingerprint (n_tracks, seed, seconds, version)
    n_tracks: int
    seed: int
    seconds: float
    stages: dict[str, dict] = field(default_factory=dict)  # stage -> {"seconds": .., ...}

    @property
    def done(self) -> list[str]:
        return [s for s in STAGES if s in self.stages]

    @property
    def next_stage(self) -> str | None:
        return next((s for s in STAGES if s not in self.stages), None)

    @property
    def complete(self) -> bool:
        return self.next_stage is None


def state_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / STATE_FILE


def read_state(data_dir: str | os.PathLike[str]) -> DemoState | None:
    """The recorded state, or None when no demo was ever started here (or the file is bad:
    :func:`musicsage.usecases.demo` tells the two apart by the file's presence)."""
    try:
        raw = json.loads(state_path(data_dir).read_text(encoding="utf-8"))
        stages = raw["stages"]
        if not isinstance(stages, dict) or not all(isinstance(details, dict)
                                                   for details in stages.values()):
            # damaged ("embed": null): the build read a stage's details and crashed; null or
            # [] read as "nothing done": every stage run again and retrained, nothing said
            raise TypeError(stages)
        if not isinstance(raw["music_dir"], str) or not os.path.isabs(raw["music_dir"]):
            # damaged (null, "", "demo-music"): read as a folder "None", "." or "demo-music"
            # in the current folder (the build records an absolute one), the build wrote the
            # demo's music there
            raise ValueError(raw["music_dir"])
        if not (isinstance(raw["fingerprint"], str) and type(raw["n_tracks"]) is int
                and type(raw["seed"]) is int and raw["seed"] >= 0):
            # damaged: a fingerprint null read as "None" (changed settings: the demo removed,
            # rebuilt and retrained); a seed -1 refused a plain `demo` for a seed never given
            raise ValueError(raw)
        seconds = float(raw["seconds"])
        if not (re.fullmatch(r"[0-9a-f]{16}", raw["fingerprint"])
                and 8 <= raw["n_tracks"] <= MAX_TRACKS and 1.0 <= seconds <= 600.0):
            # damaged: a fingerprint the plan never writes ("") read as changed settings (the
            # demo removed, rebuilt and retrained); n_tracks 3 or seconds 0 (NaN too) refused
            # a plain `demo` for a value the user never gave (the plan's limits)
            raise ValueError(raw)
        return DemoState(music_dir=raw["music_dir"], fingerprint=raw["fingerprint"],
                         n_tracks=raw["n_tracks"], seed=raw["seed"], seconds=seconds,
                         stages=stages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def named_folder(path: Path) -> Path | None:
    """The music folder the state file at ``path`` names, read from its raw JSON when it is
    an absolute path (else None): what a file :func:`read_state` refused still says. A
    damaged file is no "no demo here": its build resumes in that folder, and the folder stays
    its library's (another library adopted it and deleted the demo)."""
    try:
        named = json.loads(path.read_text(encoding="utf-8"))["music_dir"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Path(named) if isinstance(named, str) and os.path.isabs(named) else None


def write_state(data_dir: str | os.PathLike[str], state: DemoState) -> None:
    """Atomically replace the state file. A full disk is said in the scan's words, naming the
    disk, and the ``.part`` file this call made goes (it was left behind, empty)."""
    import errno

    from musicsage.errors import MusicsageError
    from musicsage.library.db_problems import full_disk_message

    path = state_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_text(json.dumps(asdict(state), indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise MusicsageError(full_disk_message(path.parent, exc.strerror)) from None
        raise


@dataclass
class DemoStatus:
    """What :func:`musicsage.usecases.demo.demo_status` answers (from the state file, a stat
    and a read of the first 4 bytes and last 4 KiB per music file of a finished demo, and one
    read-only query of the library database).

    ``state``: ``absent`` (never started here), ``partial`` (started; ``next_stage`` is where a
    :func:`~musicsage.usecases.demo.build_demo` call resumes) or ``ready`` (every stage done; a
    build_demo call returns at once).
    """

    state: str
    music_dir: Path
    stages_done: list[str]
    next_stage: str | None
    n_tracks: int | None
    seed: int | None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["music_dir"] = str(self.music_dir)
        return d


@dataclass
class DemoReport:
    """What :func:`musicsage.usecases.demo.build_demo` did (``stages``: per stage, its seconds and
    details; a stage left out was already done, or ``skipped`` says why it could not run)."""

    music_dir: Path
    data_dir: Path
    n_tracks: int
    n_playlists: int
    seed: int
    seconds_per_track: float
    reused: bool
    complete: bool
    stages: dict[str, dict] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    total_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    """What the build found and did about it, one line each (an unreadable state file, music
    gone from a finished demo)."""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["music_dir"], d["data_dir"] = str(self.music_dir), str(self.data_dir)
        return d
