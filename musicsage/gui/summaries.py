"""One-line summaries of finished background jobs, for the status bar and the training dock.

Plain functions of the service reports (no Qt), so the wording is tested without a window.
"""

from __future__ import annotations

from typing import Any


def value_of(obj: Any, key: str, default: Any = None) -> Any:
    """Attribute or dict key: service results are dataclasses or dicts."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def describe_scan(report: Any) -> str:
    """One line from a ScanReport: what changed, playlists imported, problems."""
    parts = []
    for key, label in (("added", "added"), ("updated", "changed"), ("reappeared", "back"),
                       ("missing", "missing")):
        v = value_of(report, key)
        if isinstance(v, int) and v:
            parts.append(f"{v} {label}")
    errors = value_of(report, "errors") or []
    if errors:
        parts.append(f"{len(errors)} unreadable (see stats)")
    playlists = value_of(report, "playlists") or []
    if playlists:
        unresolved = sum(len(value_of(p, "unresolved") or []) for p in playlists)
        parts.append(f"{len(playlists)} playlists imported"
                     + (f" ({unresolved} entries not found)" if unresolved else ""))
    return "Scan finished" + (": " + ", ".join(parts) if parts else ": nothing changed")


def describe_embed(report: Any) -> str:
    """One line from an EmbedReport: the model, tracks embedded, failures."""
    model = value_of(report, "model_id") or value_of(report, "model") or ""
    done = value_of(report, "embedded")
    failed = value_of(report, "failed")
    text = f"Embeddings computed{f' with {model}' if model else ''}"
    if isinstance(done, int):
        text += f": {done} tracks"
    if isinstance(failed, int) and failed:
        text += f", {failed} failed"
    return text


def describe_training(report: Any) -> str:
    """One line from a TrainReport; says when early stopping kept an earlier step."""
    steps = value_of(report, "steps")
    secs = value_of(report, "seconds")
    best = value_of(report, "best_step")
    text = "Training finished: the new model is in use"
    if isinstance(steps, int):
        text += f" ({steps:,} steps"
        text += f", {secs:.0f} s)" if isinstance(secs, (int, float)) else ")"
    if isinstance(best, int) and isinstance(steps, int) and best < steps:
        text += f". Kept the weights of step {best:,}, the best on validation"
    return text + "."
