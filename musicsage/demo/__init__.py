"""The demo library: synthesized music and playlists, for a first launch with no music."""
