"""Files -> library DB: the SQLite database, scanning music folders, reading tags, playlists."""
