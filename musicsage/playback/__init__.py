"""Audio playback core, free of Qt: decode on a thread, feed a sound-card callback, seek exactly.

Why not a media framework: the app only needs play/pause/seek of local files, and owning the
sample buffer is what makes seeking exact (position after a seek is the requested sample) and
lets tests replace the sound card with a fake stream that pulls the callback and records what
it would have played.

Shape:
- a *decoder* turns a path into a header (sample rate, channels, frames if known) and blocks of
  float32 samples at the file's own rate (``musicsage.audio.decode`` gives mono excerpts at a
  model's rate, which is not what a listener wants): :func:`soundfile_blocks` streams with
  libsndfile, :func:`pyav_blocks` with FFmpeg for the rest (m4a/AAC…);
- :class:`PlaybackEngine` decodes on a worker thread into chunks (``store.py``) no further than
  a bound ahead of the position, keeps a bound behind it, and re-opens the decoder (``start=``)
  where a seek lands outside; playback can start as soon as the first block is there. The
  callback it gives each stream — called on the audio thread — copies from the chunks at
  the current position, scaled by the volume (a stream let go of gets silence). A damaged
  file plays up to its damage (:class:`DamagedAudio` from the decoder, the engine's ``note``,
  then an ``error``);
- an output stream comes from a *stream factory* ``factory(samplerate, channels, callback)``
  returning an object with ``start()``, ``stop()`` and ``close()``; the default one wraps
  ``sounddevice.OutputStream``. :func:`probe_output` says why playback cannot work (no
  PortAudio, no output device) so a front end can disable its player with that reason.

The front end polls ``position`` (a timer); nothing here calls back into the GUI.
"""

from musicsage.playback.decoders import (BLOCK_FRAMES, DamagedAudio, Decoder, Header,
                                         default_decoder, pyav_blocks, soundfile_blocks)
from musicsage.playback.engine import PlaybackEngine
from musicsage.playback.output import (Callback, OutputStream, PlaybackUnavailable,
                                       StreamFactory, probe_output, sounddevice_stream)

__all__ = ["BLOCK_FRAMES", "Callback", "DamagedAudio", "Decoder", "Header", "OutputStream",
           "PlaybackEngine", "PlaybackUnavailable", "StreamFactory", "default_decoder",
           "probe_output", "pyav_blocks", "sounddevice_stream", "soundfile_blocks"]
