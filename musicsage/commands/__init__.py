"""The ``musicsage`` subcommands, one module per area; importing the package registers them
all in :data:`HANDLERS` (``musicsage.cli.main`` dispatches through it)."""

from musicsage.commands import explore, graph, library, playlists
from musicsage.commands.registry import HANDLERS

__all__ = ["HANDLERS", "explore", "graph", "library", "playlists"]
