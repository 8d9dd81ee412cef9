"""Scanning a generated music folder into a test's library, as a user does (``scan``)."""

from __future__ import annotations

from musicsage.cli import main


def scan(ctx, music) -> None:
    """Scan ``music`` into ``ctx``'s library with the CLI; the scan must succeed."""
    assert main(["--data-dir", str(ctx.data_dir), "scan", str(music)]) == 0
