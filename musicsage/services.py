"""The API both front ends call (CLI and GUI): plain functions over an :class:`AppContext`.

Every long-running service takes ``progress: ProgressFn | None`` and ``cancel: CancelToken |
None`` (see :mod:`musicsage.progress`) and returns plain data (dataclasses, dicts, numpy arrays),
never widgets or terminal output. Services open their own DB connection (one per thread), so
the GUI can call them from worker threads.

Sections follow the data flow: library -> audio -> graph -> search/map -> demo.
"""

from __future__ import annotations

# --- library (files -> DB) --------------------------------------------------------------------

# --- audio (DB -> audio embeddings) -----------------------------------------------------------

# --- graph (audio embeddings + contexts -> graph model) ---------------------------------------

# --- search and map (vectors -> neighbours, 2-D map) ------------------------------------------

# --- demo library -----------------------------------------------------------------------------
