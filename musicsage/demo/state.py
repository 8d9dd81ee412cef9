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
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_FILE = "demo-state.json"
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
        stages = dict(raw.get("stages") or {})
        if not all(isinstance(details, dict) for details in stages.values()):
            # damaged ("embed": null): the build read a stage's details and crashed
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
        return DemoState(music_dir=raw["music_dir"], fingerprint=raw["fingerprint"],
                         n_tracks=raw["n_tracks"], seed=raw["seed"],
                         seconds=float(raw["seconds"]), stages=stages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


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
    per music file of a finished demo, and one read-only query of the library database).

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
