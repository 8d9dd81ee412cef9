"""Audio embeddings + contexts (playlists, albums, artists) -> graph model (PinSage) and evaluation."""
