"""Reading one audio file's tags and stream facts, and checking that its audio decodes.

Tags and stream facts (duration, sample rate, channels) come from mutagen, which reads headers
only and would accept a file whose header is fine but whose audio is not (a FLAC cut in half
still has a complete STREAMINFO); the scan promises that unreadable audio is reported at scan
time, not found by the embedder later. So :func:`probe` also opens the audio with the decoder
the audio package will use (libsndfile via soundfile; PyAV for MP4/AAC, WMA, WavPack and TTA)
and decodes the first block, then checks the end of the stream, so that a truncated file is an
error at scan time (``stats`` counts it), not a track whose stored duration the audio lacks:

- FLAC, MP3, WAV, AIFF: the last second is decoded (FLAC seeks by frame headers, MP3 by its
  Xing/VBRI table or by byte position). A cut FLAC, or MP3 with a length header, yields
  (almost) nothing there. An MP3 whose header does not bound its audio has its frames
  counted (:mod:`.mpeg_frames`): its duration, and where its end is looked for.
- M4A, WMA, WavPack, TTA (not raw AAC): the last second of the header's length is decoded.
- WAV, AIFF: libsndfile counts the frames the file really holds, while the header (mutagen's
  length) states what was written; a header longer than the data means a cut file.
- Ogg ("ogg": Vorbis or FLAC in Ogg; "opus"): a cut file reads as a shorter, whole stream, no
  error: :attr:`AudioInfo.ends_mid_page` tells it (:mod:`.ogg_pages`) for the scan's note.
- A FLAC whose header states no length (a stream's): so too, its length counted
  (:mod:`.unstated_length`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from musicsage.decoder_noise import decoder_noise_muted, might_be_noisy
from musicsage.errors import AUDIO_ENDS_EARLY, MusicsageError, decoder_reason, first_line
from musicsage.library.content_format import (HEAD_BYTES, UNREADABLE_CONTENT,
                                               format_of_open_file, misnamed, misnamed_note)
from musicsage.library.content_readers import aac_with_id3, misnamed_reason, mutagen_kinds
from musicsage.library.flac_zeroed import UNKNOWN_FRAMES, zeroed_before_end
from musicsage.library import adts_frames
from musicsage.library.mpeg_frames import counted_length
from musicsage.library.ogg_pages import ends_mid_page
from musicsage.library.tag_fields import (  # noqa: F401  names kept here
    _FALLBACK_FIELDS, _merged_tags, read_tags)
from musicsage.library.unstated_length import unstated_length
from musicsage.library.wav_sizes import length_left_open, unwritten_header
from musicsage.library.wav_tail import tail_note, whole_seconds

AUDIO_EXTENSIONS: dict[str, str] = {
    ".mp3": "mp3", ".flac": "flac", ".ogg": "ogg", ".oga": "ogg", ".opus": "opus",
    ".wav": "wav", ".wave": "wav", ".aif": "aiff", ".aiff": "aiff", ".aifc": "aiff",
    ".m4a": "m4a", ".mp4": "m4a", ".aac": "aac", ".wma": "wma", ".wv": "wv", ".tta": "tta",
}
"""File extensions the scan treats as audio (lower case) → the ``tracks.format`` value."""

UNSUPPORTED_EXTENSIONS = frozenset({
    ".ape", ".mpc", ".mp+", ".dsf", ".dff", ".ra", ".rm", ".mka", ".caf", ".tak", ".shn"})
"""Audio files the scan cannot take here, counted and said rather than skipped in silence
(:func:`~musicsage.library.walk.skipped_formats_text`). FFmpeg decodes most of them, but
mutagen reads no RealAudio, Matroska, CAF, TAK or Shorten header, and APE, Musepack and DSD
(DSF/DFF) were never tried on a real file here (this PyAV has no encoder to make one): a
user would rather convert them than find them half read."""

_PYAV_FORMATS = {"m4a", "aac", "wma", "wv", "tta"}
_TAIL_CHECK_FORMATS = {"flac", "mp3", "wav", "aiff"}
_HEADER_CHECK_FORMATS = {"wav", "aiff"}
_PROBE_FRAMES = 1024
_TAIL_SECONDS = 1.0


class UnreadableAudio(MusicsageError):
    """The file is not readable audio; ``str(exc)`` is the reason shown to the user."""


@dataclass
class AudioInfo:
    """What the scan stores about a readable audio file."""

    format: str
    duration: float | None = None
    sample_rate: int | None = None
    channels: int | None = None
    tags: dict[str, Any] = field(default_factory=dict)
    """title, artist, album, albumartist, genre (str), track_number, year (int) — those present."""
    note: str | None = None
    """Something the user should know though the file reads fine (content under another
    format's extension), for the scan's report; None when there is nothing."""
    ends_mid_page: bool = False
    """An Ogg/Opus file ending mid-page (cut short?): its duration is that of its whole pages."""
    guessed_duration: float | None = None
    """An MP3 whose frames were counted (``duration``, :mod:`.mpeg_frames`): its header's
    length or guess, which older scans stored."""


def audio_format(name: str) -> str | None:
    """The format of a file name by its extension, or None for non-audio files."""
    return AUDIO_EXTENSIONS.get(os.path.splitext(name)[1].lower())


def is_music_path(path: str) -> bool:
    """A folder, or a file of an audio format the library reads: what a scan takes."""
    return os.path.isdir(path) or audio_format(path) is not None


# --- probing ----------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    return first_line(exc)[:300]


def _check_soundfile(fs_path: str, fmt: str, counted: tuple[int, int] | None,
                     ) -> tuple[int | None, int | None, float | None]:
    """An MP3's tail is looked for where its ``counted`` frames end, if before the guess: a VBR
    file guessed 205 s for 24 s (a quiet intro) was refused as "audio ends early"."""
    import soundfile as sf

    try:
        with sf.SoundFile(os.fsencode(fs_path)) as snd:
            frames, rate, channels = snd.frames, snd.samplerate, snd.channels
            if frames >= UNKNOWN_FRAMES:  # no length in the header: what decodes is the track
                return rate, channels, unstated_length(snd)
            if frames == 0:
                raise UnreadableAudio(unwritten_header(fs_path) or "no audio frames")
            snd.read(min(_PROBE_FRAMES, frames), dtype="float32")
            ends = min(frames, counted[0] * rate // counted[1]) if counted else frames
            if fmt in _TAIL_CHECK_FORMATS:
                _check_tail(snd, ends, rate, fs_path)
    except UnreadableAudio:
        raise
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        # libsndfile's reason without its prefix "Error opening b'/the/whole/path.wav': ",
        # which repeated the path as bytes (and made "Hide and Seek.wav" read as truncated)
        reason = getattr(exc, "error_string", None)
        message = _reason(exc)
        if "psf_fseek" in message or "seek" in (reason or message).lower():
            message = AUDIO_ENDS_EARLY
        elif "does not exist or is not a regular file" in message or "not recognised" in message:
            message = "the decoder does not recognise the audio data"
        elif decoder_reason(reason or message) != (reason or message):
            message = f"cannot decode ({decoder_reason(reason or message)})"
        elif reason:
            message = f"not a readable {fmt} file ({reason.splitlines()[0].rstrip('.')})"
        raise UnreadableAudio(message) from exc
    return rate, channels, frames / rate if rate else None


def _check_tail(snd, frames: int, rate: int, fs_path: str) -> None:
    """Decode the last second (at least what lies past the first block): a file whose audio
    stops before its stated length gives (almost) nothing there. A FLAC whose end lies in
    zeroed bytes is refused before the seek, which searched them for up to minutes."""
    tail = min(max(_PROBE_FRAMES, int(_TAIL_SECONDS * rate)), frames - _PROBE_FRAMES)
    if tail < _PROBE_FRAMES or not snd.seekable():
        return  # too short to tell the end from the start; or GSM 6.10/G.721, which cannot seek
    if snd.format == "FLAC" and (zeroed := zeroed_before_end(fs_path, rate, frames, tail)):
        raise UnreadableAudio(zeroed)
    snd.seek(frames - tail)
    got = len(snd.read(tail, dtype="float32"))
    if got < tail // 2:
        raise UnreadableAudio(AUDIO_ENDS_EARLY)


def _check_header_length(fmt: str, header_s: float | None, rate: int | None,
                         frames_s: float | None) -> None:
    """WAV/AIFF: the length the header states against the audio the file holds."""
    if fmt not in _HEADER_CHECK_FORMATS or not header_s or frames_s is None or not rate:
        return
    if header_s - frames_s > max(0.05, 0.01 * header_s):
        raise UnreadableAudio(f"{AUDIO_ENDS_EARLY[:-1]}: the header says {header_s:.1f} s, "
                              f"the file holds {frames_s:.1f} s)")


def _check_pyav(fs_path: str, fmt: str, stated: float | None,
                ) -> tuple[int | None, int | None, float | None]:
    import av

    try:
        # a file object, not the path: av.open cannot take bytes, and str paths with
        # undecodable bytes must reach the OS unchanged
        with open(fs_path, "rb") as fh, av.open(fh) as container:
            if not container.streams.audio:
                raise UnreadableAudio("no audio stream")
            stream = container.streams.audio[0]
            for _frame in container.decode(stream):
                break
            else:
                raise UnreadableAudio("no decodable audio frames")
            duration = float(container.duration) / 1e6 if container.duration else None
            if fmt != "aac":  # raw ADTS: its length is a guess from its bit rate
                _check_pyav_tail(container, stream, stated or duration)
            return stream.rate or None, stream.channels or None, duration
    except UnreadableAudio:
        raise
    except (OSError, ValueError, av.FFmpegError) as exc:
        message = _reason(exc)
        raise UnreadableAudio(message.split(": '")[0] if "Invalid data" in message else message) from exc


def _check_pyav_tail(container, stream, duration: float | None) -> None:
    """Decode the last second, as :func:`_check_tail` does: an M4A cut short whose index
    comes first (as iTunes writes it) was added, and failed at ``embed``; so did a WavPack."""
    import av

    if duration is None or duration < 2 * _TAIL_SECONDS:
        return
    got = 0
    try:
        container.seek(int((duration - _TAIL_SECONDS) * 1e6))  # in AV_TIME_BASE units
        for frame in container.decode(stream):  # counted from the last second on: a seek
            if frame.time is not None and frame.time >= duration - 2 * _TAIL_SECONDS:
                got += frame.samples  # past a cut WavPack or WMA stayed where it was
            if got >= stream.rate * _TAIL_SECONDS / 2:
                return
    except (av.FFmpegError, OSError, ValueError):
        pass  # the demuxer or decoder failing past the cut: as nothing decoded
    raise UnreadableAudio(AUDIO_ENDS_EARLY)


def probe(fs_path: str, fmt: str | None = None) -> AudioInfo:
    """Tags and stream facts of one audio file; raise :class:`UnreadableAudio` with a reason.

    ``fs_path`` is an OS path (str, surrogateescape for odd bytes). ``fmt`` defaults to the
    format implied by the extension. A file whose bytes are another audio format (a FLAC named
    ``.mp3``) is read as what it is, and its :attr:`AudioInfo.note` says so; if it does not
    read as that, its reader's reason is given, the format named
    (:func:`~.content_readers.misnamed_reason`). The extension's reader is not tried then: it
    misled ("not a valid FLAC file" of a damaged MP3), and its weaker checks took a cut WAV
    named ``.ogg`` for a whole Ogg file of the header's length.
    """
    fmt = fmt or audio_format(fs_path) or "unknown"
    by_content = _content_format(fs_path)
    if by_content is None or not misnamed(fmt, by_content):
        return _probe_as(fs_path, fmt)
    if by_content in UNREADABLE_CONTENT:
        raise UnreadableAudio(misnamed_note(fs_path, by_content, readable=False))
    try:
        info = _probe_as(fs_path, by_content, mutagen_kinds(by_content))
    except UnreadableAudio as exc:
        raise UnreadableAudio(misnamed_reason(fs_path, by_content, str(exc))) from exc
    info.note = "; ".join(filter(None, (misnamed_note(fs_path, by_content), info.note)))
    return info


def _content_format(fs_path: str) -> str | None:
    """The format the bytes announce, or None; UnreadableAudio for an empty or unreadable file."""
    try:
        with open(fs_path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            if not head:
                raise UnreadableAudio("empty file")
            return format_of_open_file(fh, head)
    except OSError as exc:
        raise UnreadableAudio(f"cannot read file: {exc.strerror or _reason(exc)}") from exc


def _probe_as(fs_path: str, fmt: str, kinds: list | None = None) -> AudioInfo:
    """:func:`probe` with the format decided: mutagen (only ``kinds`` when given) for tags and
    headers, then the decoder that format uses for the audio itself. WAV/AIFF's duration is
    libsndfile's frame count: mutagen's comes from the bits per sample, 0.004 s for an 8-s
    ADPCM or MP3-in-RIFF WAV; it serves only to tell a header longer than the audio."""
    mfile, note = _mutagen_file(fs_path, fmt, kinds)
    counted = (counted_length(fs_path) if fmt == "mp3"  # once: the scan stores it
               else adts_frames.counted_length(fs_path) if fmt == "aac" else None)
    if fmt in _PYAV_FORMATS:
        rate, channels, duration = _check_pyav(
            fs_path, fmt, getattr(getattr(mfile, "info", None), "length", None))
    else:  # muted by content too: an MP3 named .flac spilled libmpg123's chatter
        with decoder_noise_muted(fmt == "mp3" or might_be_noisy(fs_path)):
            rate, channels, duration = _check_soundfile(fs_path, fmt, counted)
    info = getattr(mfile, "info", None)
    length = getattr(info, "length", None)
    claims_more = bool(length) and duration is not None and length > duration
    if fmt == "wav" and claims_more and length_left_open(fs_path):
        length = None  # the header's sizes are placeholders: the audio tells the length
    _check_header_length(fmt, length, rate, duration)
    if fmt in _HEADER_CHECK_FORMATS and duration:
        length = duration
    if fmt == "wav" and duration and (whole := whole_seconds(fs_path)) is not None:
        length, note = whole, "; ".join(filter(None, (note, tail_note(fs_path))))
    tags = _merged_tags(fs_path, fmt, mfile)
    guessed = float(length) if length else duration
    return AudioInfo(
        format=fmt,
        duration=counted[0] / counted[1] if counted else guessed,
        guessed_duration=guessed if counted else None,
        sample_rate=int(getattr(info, "sample_rate", 0) or 0) or rate,
        channels=int(getattr(info, "channels", 0) or 0) or channels,
        tags=tags,
        note=note,
        ends_mid_page=fmt in ("ogg", "opus") and ends_mid_page(fs_path),
    )


def _mutagen_file(fs_path: str, fmt: str, kinds: list | None) -> tuple[Any, str | None]:
    """mutagen's reading of the file, and a note; None for a WAV that only libsndfile reads
    (RF64, Sony Wave64: mutagen wants a RIFF root chunk), or a WAV or AIFF whose ``id3 ``
    chunk is damaged (its audio is fine), with :data:`LOST_ID3` (its tags lost unexplained
    else): no tags but its RIFF INFO or NAME/AUTH. With ``kinds`` (the format the content
    announced) each is called directly: ``mutagen.File`` scores by extension too (None for
    ADTS AAC named ``.mp3``). A raw AAC is read by :func:`_aac_file` first, whatever the
    kinds; where mutagen's AAC reader refuses it, as before that reader was used."""
    import mutagen

    if fmt == "aac" and (aac := _aac_file(fs_path)) is not None:
        return aac
    failed: Exception | None = None
    try:
        mfile = mutagen.File(fs_path) if not kinds else _first_kind(fs_path, kinds)
    except Exception as exc:  # mutagen raises many types (HeaderNotFoundError, struct.error…)
        mfile, failed = None, exc
    if mfile is not None:
        return mfile, None
    if fmt in _HEADER_CHECK_FORMATS and _soundfile_opens(fs_path):
        return None, LOST_ID3 if failed is not None and _id3_failed(failed) else None
    if failed is not None and fmt == "m4a" and _mp4_box_past_end(fs_path):
        raise UnreadableAudio(f"{AUDIO_ENDS_EARLY[:-1]}: its index, which comes after the audio, "
                              "is cut off)") from failed
    if failed is not None:
        raise UnreadableAudio(f"not a readable {fmt} file ({_mutagen_reason(failed)})") from failed
    raise UnreadableAudio(f"not a recognised audio file (expected {fmt})")


LOST_ID3 = "its ID3 tag is damaged: scanned without its tags (retag it to read them)"


def _aac_file(fs_path: str) -> tuple[Any, str | None] | None:
    """:func:`~.content_readers.aac_with_id3` of a raw AAC file, and :data:`LOST_ID3` where
    its ID3 tag is damaged: an ID3v2 tag at its start made mutagen read it as an MP3 (refused:
    "can't sync to MPEG frame"), though its audio is fine. None where the AAC reader refuses
    the file: ``mutagen.File`` reads it as before (an MP3 named ``.aac`` with bytes between
    its tag and its audio), or its reason is said as before (an ID3 tag cut short: "copy or
    download the file again", not the AAC reader's "sync not found")."""
    try:
        mfile, tag_failed = aac_with_id3(fs_path)
    except Exception:  # mutagen raises many types (AACError, struct.error…)
        return None
    return mfile, None if tag_failed is None else LOST_ID3


def _id3_failed(exc: Exception) -> bool:
    """Whether mutagen's ``exc`` is its ID3 reader's (a WAV's or AIFF's wraps it)."""
    from mutagen.id3 import error as id3_error

    return isinstance(exc, id3_error) or bool(exc.args) and isinstance(exc.args[0], id3_error)


def _mp4_box_past_end(fs_path: str) -> bool:
    """Whether an MP4 file's top-level boxes run past its end: a copy or download cut short,
    its ``moov`` index (written after the audio by most encoders but iTunes) lost with its end.
    mutagen said "not a readable m4a file (not a MP4 file)" of it, which read as another format.
    At most :data:`_MOST_MP4_BOXES` are looked at (a real file has a handful at its top)."""
    try:
        with open(fs_path, "rb") as fh:
            end, at = os.fstat(fh.fileno()).st_size, 0
            for _ in range(_MOST_MP4_BOXES):
                if at + 8 > end:
                    break
                fh.seek(at)
                head = fh.read(16)
                size = int.from_bytes(head[:4], "big")
                if size == 1 and len(head) == 16:  # a 64-bit size follows the type
                    size = int.from_bytes(head[8:16], "big")
                if size < 8:  # 0: "to the end of the file"; less: not a box
                    return False
                at += size
            return at > end
    except OSError:
        return False


_MOST_MP4_BOXES = 64
"""The top-level boxes :func:`_mp4_box_past_end` walks before it gives up (no verdict)."""


def _mutagen_reason(exc: Exception) -> str:
    """mutagen's reason, or what its bare ``error`` of an ID3 tag that claims more bytes
    than the file holds means (a download cut off inside the cover art), with what to do: a
    tagger cannot remove such a tag (``mid3v2 --delete-all`` fails on it too)."""
    from mutagen.id3 import ID3NoHeaderError, error as id3_error

    if isinstance(exc, id3_error) and not isinstance(exc, ID3NoHeaderError) and \
            _reason(exc) in ("", "error"):
        return "its ID3 tag is cut short or damaged: copy or download the file again"
    return _reason(exc)


def _first_kind(fs_path: str, kinds: list) -> Any:
    """The first of mutagen's ``kinds`` that parses the file; the last one's error if none."""
    for kind in kinds[:-1]:
        try:
            return kind(fs_path)
        except Exception:  # mutagen raises many types; the next kind may read it
            continue
    return kinds[-1](fs_path)


def _soundfile_opens(fs_path: str) -> bool:
    """Whether libsndfile takes the file for audio (its header; the audio is checked later)."""
    import soundfile as sf

    try:
        with decoder_noise_muted(might_be_noisy(fs_path)):
            sf.info(os.fsencode(fs_path))
    except Exception:  # libsndfile's refusal: LibsndfileError, RuntimeError, OSError…
        return False
    return True
