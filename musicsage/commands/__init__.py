"""The ``musicsage`` subcommands, one module per area; importing the package registers them
all in :data:`HANDLERS` (``musicsage.cli.main`` dispatches through it)."""

from musicsage.commands import demo, explore, graph, library, playlists, tagging
from musicsage.commands.registry import HANDLERS

__all__ = ["HANDLERS", "demo", "explore", "graph", "library", "playlists", "tagging"]
