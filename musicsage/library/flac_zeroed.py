"""Whether a FLAC's audio holds bytes that are all zeros, and from what time: the part of a
download that never came (a torrent client allocates the whole file first) or what a failing
drive read back.

libFLAC, asked to seek into such bytes, searches them for a frame in a time that grows with
the square of the file's size (90 s for one excerpt of a 5-minute file, minutes more in a long
one), then fails: the scan, which reads the last second the header states, and ``embed``,
which seeks to its excerpts, sat that long over one file and then said "audio ends early".
A FLAC frame begins with a sync code every few kilobytes and codes silence in a few bytes, so
:data:`ZERO_RUN` zero bytes in its audio are damage: a seek to a sample between the frame
headers around them is refused at once (the player's seeks and ``embed``'s excerpts alike), and
the file is named with the time its audio stops, read from the last frame header before them,
and the time it resumes, from the first one after them (missing pieces in the middle). Zeros
after the last whole frame (a tool's padding, a file allocated larger) are no damage: nothing
is refused or named there, and libFLAC's "lost sync" anywhere past a stream's last frame is
passed over — in such zeros, its cut last frame, a tag or a trailer after it
(:func:`frame_follows`)."""

from __future__ import annotations

import os
import re
from typing import BinaryIO, NamedTuple

from musicsage.text import format_time

ZERO_RUN = 65536
"""Zero bytes in a row that are damage (silence codes in a few bytes; a long frame of noise
holds few zero bytes in a row)."""
_CHUNK = 1 << 20
"""Bytes read at a time when looking for the first zeros."""
_BACK = 1 << 20
"""How far before the zeros the last frame header is looked for, and so the longest frame told
whole (a hi-res multichannel frame of noise holds some 100 KiB; FLAC's longest, 2 MiB)."""
_WINDOW = 2 * ZERO_RUN
"""Bytes read at each look for the seek's place: a run of zeros there is seen whole."""
_MOST_LOOKS = 64
"""Looks for the seek's place at most (halving 2**62 bytes takes fewer)."""
_MOST_BLOCKS = 1024
"""Metadata blocks walked before the audio at most (a header is no longer)."""
_ID3V1 = 128
"""The size of an ID3v1 tag, which some taggers put at a FLAC's end too."""
_SYNC = re.compile(rb"\xff[\xf8\xf9]")
_APE_FOOTER = 32
"""The size of an APEv2 tag's footer (and its header), which ends the tag: ``APETAGEX``."""
UNKNOWN_FRAMES = 2**62
"""A frame count from here up (libsndfile says 2**63 - 1) states no length: a stream's FLAC
(:mod:`.unstated_length`), a chained Ogg. The app's one definition of it: a length, a duration
or a slider maximum made of it was absurd (and overflowed Qt's int)."""


def lands_in_zeros(path: str | bytes, target: int, frames: int,
                   begun: tuple[int, int] | None = None) -> bool:
    """Whether a seek to sample ``target`` of a FLAC of ``frames`` samples lands in zeroed
    bytes: from the last frame before a run of :data:`ZERO_RUN` zeros up to the first frame
    after it, the samples libFLAC would search the zeros for. The place is found as libFLAC
    finds it, halving the bytes on the frame headers' sample numbers (a guess in proportion to
    the bytes missed both ways where the bit rate is uneven: good audio refused, the zeros not
    seen), but a look that meets zeros stops there: some 20 reads of 128 KiB at most. False
    for a file that is not a FLAC laid out as expected, or cannot be read. ``begun``: its
    :func:`audio_start`, read once per open file by a caller asked at every seek."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            start, size = begun or audio_start(fh), os.fstat(fh.fileno()).st_size
            if start is None or size - start[0] < ZERO_RUN or not 0 < target < frames:
                return False
            return _target_in_zeros(FlacFrames(fh, start[1]), (start[0], 0), (size, frames), target)
    except OSError:
        return False


class FlacFrames(NamedTuple):
    """An open FLAC and the block size its fixed-size frames are numbered in."""

    fh: BinaryIO
    stride: int


def _target_in_zeros(flac: FlacFrames, lo: tuple[int, int], hi: tuple[int, int],
                     target: int) -> bool:
    """:func:`lands_in_zeros` between ``lo`` and ``hi`` (byte, sample: a frame header at or
    before the target's, and one after it). Odd looks guess in proportion, even ones halve."""
    for look in range(_MOST_LOOKS):
        last = hi[0] - lo[0] <= _WINDOW
        at = lo[0] if last else _probe_at(lo, hi, target, look)
        flac.fh.seek(at)
        window = flac.fh.read((hi[0] - lo[0] + ZERO_RUN) if last else _WINDOW)
        zeros = window.find(bytes(ZERO_RUN))
        if zeros >= 0:
            before, after = _around_zeros(flac, lo, at + zeros)
            if before[1] <= target < after[1]:
                return True
            lo, hi = (lo, before) if target < before[1] else (after, hi)
            continue
        found = None if last else _first_frame(window, lo[1], hi[1], flac.stride)
        if found is None:  # no zeros near the target, or no frame to go by: libFLAC's turn
            return False
        lo, hi = ((at + found[0], found[1]), hi) if found[1] <= target else (lo, (at, found[1]))
    return False


def _probe_at(lo: tuple[int, int], hi: tuple[int, int], target: int, look: int) -> int:
    """Where to look next between ``lo`` and ``hi``: at the proportional guess on odd looks
    (one or two looks for an even bit rate), the middle on even ones (an uneven one)."""
    share = (target - lo[1]) / max(1, hi[1] - lo[1]) if look % 2 == 0 else 0.5
    span = hi[0] - lo[0] - _WINDOW
    return lo[0] + min(max(int(share * span), 1), span)


def _around_zeros(flac: FlacFrames, lo: tuple[int, int], zeros_at: int
                  ) -> tuple[tuple[int, int], tuple[int, int]]:
    """The frame headers (byte, sample) around the zeros that begin at ``zeros_at``: the last
    one before them (``lo`` where none is found) and the first one after them (the end of the
    file, its sample past any, where none is)."""
    fh = flac.fh
    zeros_at = _zeros_begin(fh, lo[0], zeros_at)
    before = _frames_before(flac, zeros_at, lo[0]) or lo
    after = _frame_after(flac, _zeros_end(fh, zeros_at), before[1])
    return before, after or (2**62, 2**62)


def _zeros_end(fh: BinaryIO, at: int) -> int:
    """Where the zeros that begin at ``at`` end (the file's size where they run to its end)."""
    fh.seek(at)
    while chunk := fh.read(_CHUNK):
        kept = chunk.lstrip(b"\0")
        at += len(chunk) - len(kept)
        if kept:
            break
    return at


def _frame_after(flac: FlacFrames, end: int, low: int, high: int = 2**62) -> tuple[int, int] | None:
    """The first frame header (byte, sample from ``low`` to ``high``) from byte ``end`` on,
    where zeros end: where the audio resumes; None when none follows them."""
    flac.fh.seek(end)
    after = _first_frame(flac.fh.read(_BACK), low, high, flac.stride)
    return None if after is None else (end + after[0], after[1])


def _frames_before(flac: FlacFrames, at: int, floor: int) -> tuple[int, int] | None:
    """The last frame header (byte, sample) before byte ``at`` (where zeros or a tag begin),
    no earlier than ``floor``, its sample moved past the frame when the frame ends whole there
    (a seek into it fails otherwise); None when none is found."""
    last = last_frame_before(flac, at, floor)
    return None if last is None else (last[0], last[1] + last[2])


def last_frame_before(flac: FlacFrames, at: int, floor: int) -> tuple[int, int, int] | None:
    """The last frame header before byte ``at``, no earlier than ``floor``: its byte, its
    sample and its block size when the frame ends whole at ``at`` (0 when it runs on)."""
    fh = flac.fh
    fh.seek(max(floor, at - _BACK))
    head_at = fh.tell()
    data = fh.read(at - head_at + 2)  # (a frame's CRC-16 may end in zero bytes)
    before = _last_frame(data[:-2], flac.stride)
    return None if before is None else (head_at + before[0], before[1], _whole_frame(
        data[before[0]:], at - head_at - before[0]))


def frame_follows(path: str | bytes, at: int) -> bool:
    """Whether a frame numbering a sample past ``at`` lies in the FLAC ``path``: where the
    decoder stopped after ``at`` samples, damage inside (frames after the one that does not
    decode) and not the stream's end. Its end is anything else: a cut last frame (a stream
    stopped), a damaged last frame, or bytes that are no frame after the last one — zeros, an
    ID3v1 or APEv2 tag, a text trailer (``Encoded by streamripper``), 0xFF padding: "damaged
    audio data at 0:06" was said of the end of a whole stream. The last frame header in the
    :data:`_BACK` bytes before those tags is what tells; a trailer longer than that of no
    known kind hides damage before it (the file is taken as whole). False when the file is
    not laid out as a FLAC or cannot be read."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            start = audio_start(fh)
            if start is None:
                return False
            end = _tags_begin(fh, start[0])
            last = last_frame_before(FlacFrames(fh, start[1]), end, start[0])
    except OSError:
        return False
    return last is not None and last[1] > at


def _tags_begin(fh: BinaryIO, floor: int) -> int:
    """Where the ID3v1 and APEv2 tags at the file's end begin (its size without them), no
    earlier than ``floor``: an APEv2 tag's cover art may hold bytes that look like a frame."""
    end = fh.seek(0, os.SEEK_END)
    fh.seek(max(floor, end - _ID3V1))
    if end - _ID3V1 >= floor and fh.read(3) == b"TAG":
        end -= _ID3V1
    fh.seek(max(floor, end - _APE_FOOTER))
    footer = fh.read(_APE_FOOTER)
    if len(footer) == _APE_FOOTER and footer[:8] == b"APETAGEX":
        size = int.from_bytes(footer[12:16], "little")  # items and footer
        header = _APE_FOOTER if int.from_bytes(footer[20:24], "little") >> 31 else 0
        end -= size + header
    return max(floor, end)


def _zeros_begin(fh: BinaryIO, floor: int, at: int) -> int:
    """Where the zeros around ``at`` begin, no earlier than ``floor`` (a look may land in the
    middle of them)."""
    while at > floor:
        step = min(_CHUNK, at - floor)
        fh.seek(at - step)
        kept = fh.read(step).rstrip(b"\0")
        at -= step - len(kept)
        if kept:
            break
    return at


def zeroed_reason(path: str | bytes, rate: int, frames: int) -> str | None:
    """The words after ``"name: "`` for a FLAC of ``frames`` samples whose audio holds
    :data:`ZERO_RUN` zero bytes: the time its audio stops at the first such bytes and, when a
    frame follows them (a download's missing pieces, a failing drive's sectors: the file plays
    on after them), the time it resumes, and how many more such places follow. None when it
    holds none, or only zeros after all its audio (a tool's padding, a file allocated larger:
    no damage). Reads the file through from those zeros: ask it of a file known damaged."""
    try:
        with open(os.fsencode(path), "rb") as fh:
            audio_at, stride = audio_start(fh) or (-1, 0)
            runs = _zero_runs(fh, audio_at) if audio_at >= 0 else []
            flac, size = FlacFrames(fh, stride), os.fstat(fh.fileno()).st_size
            stated = 0 < frames < UNKNOWN_FRAMES
            if runs and _is_padding(flac, runs[-1], frames, audio_at):
                runs.pop()
            if not runs:
                return None
            before = _frames_before(flac, runs[0][0], audio_at)
            stops = before[1] if before else int(  # no frame header: in proportion to the bytes
                (frames if stated else 0) * (runs[0][0] - audio_at) / max(1, size - audio_at))
            after = _frame_after(flac, runs[0][1], stops, frames if stated else UNKNOWN_FRAMES)
    except OSError:
        return None
    where = f"from {format_time(stops / max(1, rate))} " + (
        f"to {format_time(after[1] / max(1, rate))}" if after else "on")
    if len(runs) > 1:
        where += f", and in {len(runs) - 1} more place{'s' if len(runs) > 2 else ''} after it"
    return f"holds zeroed bytes {where} (a download that never finished, or a failing drive?)"


def _zero_runs(fh: BinaryIO, at: int) -> list[tuple[int, int]]:
    """Where each run of :data:`ZERO_RUN` zero bytes or more from byte ``at`` on begins and
    ends, in one pass over the file."""
    runs = []
    while (zeros_at := _first_zeros(fh, at)) is not None:
        at = _zeros_end(fh, zeros_at)
        runs.append((zeros_at, at))
    return runs


def _is_padding(flac: FlacFrames, run: tuple[int, int], frames: int, floor: int) -> bool:
    """Whether the zeros ``run`` (bytes) follow all ``frames`` samples, the last frame whole,
    with no frame after them: what a tool or an allocation left after a whole file. Of a
    length not stated (``frames`` 0, or libsndfile's 2**63 - 1: a stream's encoder), the
    frame before them ending whole with none after is all that tells."""
    last = last_frame_before(flac, run[0], floor)
    if last is None or not last[2]:  # no frame, or one that runs into the zeros: damage
        return False
    ends = last[1] + last[2]
    return (ends >= frames or not 0 < frames < UNKNOWN_FRAMES) and _frame_after(
        flac, run[1], ends) is None


def zeroed_before_end(path: str | bytes, rate: int, frames: int, tail: int) -> str | None:
    """:func:`zeroed_reason` for a FLAC whose last ``tail`` frames lie in zeroed bytes, asked
    before the scan seeks there; None otherwise (a few 128-KiB reads for a whole file)."""
    if frames <= 0 or not lands_in_zeros(path, frames - tail, frames):
        return None
    return zeroed_reason(path, rate, frames)


def _first_zeros(fh: BinaryIO, start: int) -> int | None:
    """Where the first :data:`ZERO_RUN` zero bytes in a row begin at or after ``start``."""
    zeros, at, kept = bytes(ZERO_RUN), start, b""
    fh.seek(start)
    while chunk := fh.read(_CHUNK):
        window = kept + chunk
        found = window.find(zeros)
        if found >= 0:
            return at - len(kept) + found
        kept = window[-(ZERO_RUN - 1):]
        at += len(chunk)
    return None


def _last_frame(data: bytes, stride: int) -> tuple[int, int] | None:
    """Where the last FLAC frame whose header (its CRC-8 checked) lies whole in ``data``
    begins, and its first sample; None when none does."""
    for match in reversed(list(_SYNC.finditer(data))):
        found = _frame_sample(data[match.start():match.start() + 16], stride)
        if found is not None:
            return match.start(), found[0]
    return None


def _first_frame(data: bytes, low: int, high: int, stride: int) -> tuple[int, int] | None:
    """Where the first FLAC frame whose header lies whole in ``data`` and numbers a sample
    from ``low`` to ``high`` begins, and that sample (a header's look-alike in the audio
    rarely passes its CRC-8, and numbers a sample of the file more rarely still)."""
    for match in _SYNC.finditer(data):
        found = _frame_sample(data[match.start():match.start() + 16], stride)
        if found is not None and low <= found[0] <= high:
            return match.start(), found[0]
    return None


def _frame_sample(head: bytes, stride: int = 0) -> tuple[int, int] | None:
    """The first sample and the block size of the frame whose header ``head`` begins with, or
    None when it is no valid header (reserved codes, a number not UTF-8 coded, a CRC-8 that
    does not match). A fixed-size frame's number counts ``stride`` samples a frame (its own
    block size where none is given: the last frame's is shorter)."""
    if len(head) < 6:
        return None
    size_code, rate_code = head[2] >> 4, head[2] & 0x0F
    if size_code == 0 or rate_code == 15 or head[3] >> 4 > 10 or (head[3] >> 1) & 7 == 3 \
            or head[3] & 1:
        return None
    lead = 8 - (~head[4] & 0xFF).bit_length()  # the number's first byte's leading 1 bits
    if lead in (1, 8):  # a continuation byte, or no UTF-8 form at all
        return None
    length = max(1, lead)  # bytes of the number ("UTF-8", up to 36 bits)
    number = head[4] & (0x7F if lead == 0 else 0xFF >> (lead + 1))
    for byte in head[5:4 + length]:
        if byte & 0xC0 != 0x80:
            return None
        number = (number << 6) | (byte & 0x3F)
    at = 4 + length
    extra = {6: 1, 7: 2}.get(size_code, 0)
    block = int.from_bytes(head[at:at + extra], "big") + 1 if extra else _block_size(size_code)
    at += extra + {12: 1, 13: 2, 14: 2}.get(rate_code, 0)
    if at >= len(head) or _crc8(head[:at]) != head[at]:
        return None
    return (number if head[1] & 1 else number * (stride or block)), block  # (variable: samples)


def _whole_frame(frame: bytes, up_to: int) -> int:
    """The block size of the frame ``frame`` begins with when it ends whole where the zeros
    begin (``up_to``, or up to two bytes on: its CRC-16 may end in zeros), as before zeros
    appended to a whole file; 0 when it runs into them (a seek into it fails)."""
    found = _frame_sample(frame[:16])
    if found is None:  # (``up_to`` is at most :data:`_BACK`: some 0.2 s of CRC a MiB)
        return 0
    crc = 0
    for at, byte in enumerate(frame[:up_to + 2]):
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[(crc >> 8) ^ byte]
        if at + 1 >= up_to and crc == 0:  # the CRC over a frame and its own CRC-16 is 0
            return found[1]
    return 0


def _crc16_table() -> list[int]:
    """FLAC's frame CRC-16 (polynomial 0x8005, no reflection), a byte at a time."""
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
        table.append(crc)
    return table


_CRC16 = _crc16_table()


def _block_size(code: int) -> int:
    """A frame's block size from its 4-bit code (but 0, 6 and 7, see the header)."""
    if code == 1:
        return 192
    return 576 << (code - 2) if code <= 5 else 256 << (code - 8)


def _crc8(data: bytes) -> int:
    """The CRC-8 (polynomial 0x07) a FLAC frame header ends with."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def audio_start(fh: BinaryIO) -> tuple[int, int] | None:
    """Where a FLAC's first frame begins (after an ID3v2 tag (if any), ``fLaC`` and its
    metadata blocks) and the block size its fixed-size frames are numbered in: STREAMINFO's
    when its least and greatest agree (the last, shorter frame too), else 0: each frame's own
    (the least may be one odd frame's; counted in it, zeros at 0:05 were named at 0:01); None
    when the file is not laid out so (no STREAMINFO)."""
    head = fh.read(10)
    at = 0
    if head[:3] == b"ID3" and len(head) == 10:
        size = 0
        for byte in head[6:10]:  # a "syncsafe" size: seven bits a byte
            size = (size << 7) | (byte & 0x7F)
        at = 10 + size + (10 if head[5] & 0x10 else 0)  # (a footer)
    fh.seek(at)
    if fh.read(4) != b"fLaC":
        return None
    stride: int | None = None
    for _ in range(_MOST_BLOCKS):
        block = fh.read(4)
        if len(block) < 4:
            return None
        length = int.from_bytes(block[1:4], "big")
        if block[0] & 0x7F == 0 and length >= 4:  # STREAMINFO: least, greatest block size
            least, greatest = fh.read(2), fh.read(2)
            stride = int.from_bytes(least, "big") if least == greatest else 0
            length -= 4
        fh.seek(length, os.SEEK_CUR)
        if block[0] & 0x80:  # the last metadata block
            return None if stride is None else (fh.tell(), stride)
    return None
