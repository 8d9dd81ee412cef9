"""The demo library: synthesized music and playlists, for a first launch with no music.

Nothing is downloaded: every sound is computed (numpy/scipy), encoded with libsndfile
(FLAC, Ogg Vorbis, MP3) and tagged with mutagen. Modules, from sound to library:

- :mod:`~musicsage.demo.synth` — oscillators, Karplus–Strong strings, FM, drums, filters, reverb;
- :mod:`~musicsage.demo.styles` — eleven genre recipes (tempo, groove, harmony, instruments, mix);
- :mod:`~musicsage.demo.compose` — an artist's sound and one track's score (notes, drum hits);
- :mod:`~musicsage.demo.render` — a score to samples (voices, kits, mixing console);
- :mod:`~musicsage.demo.names` — invented artist/album/track/playlist names;
- :mod:`~musicsage.demo.library` — the plan (artists, hidden scenes, albums, tracks, playlists)
  and writing it to a folder, resumably;
- :mod:`~musicsage.demo.playlists` — M3U8/XSPF writers;
- :mod:`~musicsage.demo.state` — where the first-launch pipeline stands;
- :mod:`~musicsage.demo.guards` — one build at a time, an unreadable state, music gone.

The pipeline itself (generate → scan → embed → audio map → train → graph map) is
:func:`musicsage.usecases.demo.build_demo`, since it drives the other areas' use cases. This
package imports only numpy, scipy, soundfile and mutagen, and of musicsage only errors and
progress (and, when needed, the library's lock and its full-disk wording).
"""
