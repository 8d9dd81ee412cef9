"""What the window shows about a library, gathered by service calls on a worker (Qt-free).

One :func:`load_snapshot` call reads tracks, playlists, memberships, counts and the models in
use, so the GUI thread never touches the database and every panel shows the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from musicsage import services


@dataclass
class LibrarySnapshot:
    stats: dict
    tracks: list[Any]  # TrackInfo
    playlists: list[Any]  # PlaylistInfo
    memberships: list[tuple[int, int]]  # (playlist id, track id), resolved entries
    audio_model: str | None
    graph_model: Any | None  # GraphModelInfo, or None when not trained / not available
    by_id: dict[int, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {t.id: t for t in self.tracks}

    @property
    def empty(self) -> bool:
        return not self.tracks

    @property
    def graph_label(self) -> str | None:
        g = self.graph_model
        if g is None:
            return None
        if isinstance(g, dict):
            name, gid, metrics = g.get("name"), g.get("id"), g.get("metrics")
        else:
            name, gid, metrics = getattr(g, "name", None), getattr(g, "id", None), getattr(g, "metrics", None)
        label = name or (f"model {gid}" if gid is not None else "trained")
        hr = None
        if isinstance(metrics, dict):
            hr = (metrics.get("graph") or {}).get("hr@10")
        return f"{label} (HR@10 {hr:.3f})" if isinstance(hr, (int, float)) else label

    def label(self, track_id: int) -> str:
        """"title — artist" for hover text and lists."""
        t = self.by_id.get(int(track_id))
        if t is None:
            return f"track {track_id}"
        title = getattr(t, "display_title", None) or t.title or f"track {t.id}"
        return f"{title} — {t.artist}" if t.artist else title


def load_snapshot(ctx) -> LibrarySnapshot:
    stats = services.library_stats(ctx)
    tracks = services.list_tracks(ctx)
    playlists = services.list_playlists(ctx)
    memberships = [(p.id, tid) for p in playlists for tid in services.playlist_track_ids(ctx, p.id)]
    return LibrarySnapshot(stats=stats, tracks=tracks, playlists=playlists, memberships=memberships,
                           audio_model=services.current_audio_model_id(ctx),
                           graph_model=services.current_graph_model(ctx))
