"""Audio embeddings + contexts (playlists, albums, artists) -> graph model (PinSage) and evaluation."""

import os

# DGL, on its first import without this variable, writes ~/.dgl/config.json (a file outside
# the library and OUT; its import fails where the home folder is not writable) and prints a
# line on stdout, which broke the first `train --json` of a machine. Every DGL import of the
# app is under this package, so naming the backend here keeps DGL quiet. A user's own
# choice (the variable already set) is kept.
os.environ.setdefault("DGLBACKEND", "pytorch")
