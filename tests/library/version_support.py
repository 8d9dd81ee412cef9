"""Six tones scanned and embedded through the CLI, two of them analysed again with other
settings (an ``embed`` cut short after the settings changed): what the one-analysis-version
tests share. A plain module with a name unique across tests/, as ``library_audio`` is."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage import cli
from musicsage.library import queries as q
from musicsage.library.db import connect

FREQS = (220.0, 330.0, 440.0, 550.0, 660.0, 880.0)


def run(ctx, *args) -> None:
    assert cli.main([*map(str, args), "--data-dir", str(ctx.data_dir)]) == 0


def two_versions(ctx, music: Path) -> tuple[set[int], set[int]]:
    """The six tracks of ``music`` embedded, two again with other settings: (the four of
    the majority version, the other two)."""
    for i, freq in enumerate(FREQS):
        write_audio(music / f"t{i}.wav", seconds=1.0, freq=freq)
    run(ctx, "scan", music)
    run(ctx, "embed", "--model", "spectral")
    run(ctx, "embed", "--max-seconds", "0.5", "--limit", "2")  # a re-analysis cut short
    by_version: dict[str, set[int]] = {}
    for track_id, version in q.embedding_versions(connect(ctx), "spectral").items():
        by_version.setdefault(version, set()).add(track_id)
    most, other = sorted(by_version.values(), key=len, reverse=True)
    assert (len(most), len(other)) == (4, 2)
    return most, other
