"""Plain result types of the search/map services (no heavy imports: services.py imports this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPACES = ("graph", "audio")


@dataclass
class MapPoints:
    """2-D coordinates of every embedded track of one space.

    ``track_ids[i]`` sits at ``xy[i]``. Missing tracks (file vanished) are included -- a front
    end greys them out -- so a file going missing does not recompute the map; ``present[i]``
    says which are playable.
    """

    track_ids: Any  # np.ndarray int64 [n]
    xy: Any  # np.ndarray float32 [n, 2]
    space: str  # graph | audio
    model_id: str | None
    present: Any = None  # np.ndarray bool [n]
    method: str = "umap"  # umap | pca | circle | trivial | cached
    cached: bool = False
    seconds: float = 0.0
    fingerprint: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self, *, points: bool = True) -> dict:
        """The ``map --json`` form of this space."""
        d = {"space": self.space, "model_id": self.model_id, "tracks": int(len(self.track_ids)),
             "method": self.method, "cached": self.cached, "seconds": round(self.seconds, 3),
             "fingerprint": self.fingerprint}
        if points:
            present = self.present if self.present is not None else [True] * len(self.track_ids)
            d["points"] = [{"track_id": int(t), "x": round(float(x), 5), "y": round(float(y), 5),
                            "present": bool(p)}
                           for t, (x, y), p in zip(self.track_ids, self.xy, present)]
        return d
