"""Read TensorFlow 1 checkpoints (tensor bundles) without TensorFlow.

A checkpoint ``prefix`` is two files:

* ``prefix.index`` — a LevelDB-style sorted table. It ends in a 48-byte footer (block handles
  of the meta-index and index blocks, zero padding, the magic number 0xdb4775248b80fb57). Each
  block holds prefix-compressed key/value entries, a restart-point array, and a 5-byte trailer
  (compression type + masked CRC-32C of the block). The index block maps separator keys to the
  data blocks. In the data blocks the empty key holds a ``BundleHeaderProto`` and every other
  key is a variable name whose value is a ``BundleEntryProto`` (dtype, shape, shard, offset,
  size, masked CRC-32C of the tensor bytes).
* ``prefix.data-00000-of-00001`` — the tensors' raw little-endian bytes, back to back.

Everything is checked (footer magic, block CRCs, key order, entry bounds, tensor CRCs), so a
truncated or corrupted download fails with a :class:`CheckpointError` naming the file and the
problem instead of producing a silently wrong model.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from musicsage.audio.musicnn import crc32c as _crc
from musicsage.audio.musicnn.protobuf import ProtobufError, as_signed64, iter_fields, read_varint
from musicsage.errors import MusicsageError

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
NO_COMPRESSION = 0
HEADER_KEY = b""

# tensorflow/core/framework/types.proto DataType -> numpy little-endian dtype
_DTYPES: dict[int, np.dtype] = {
    1: np.dtype("<f4"),   # DT_FLOAT
    2: np.dtype("<f8"),   # DT_DOUBLE
    3: np.dtype("<i4"),   # DT_INT32
    4: np.dtype("u1"),    # DT_UINT8
    5: np.dtype("<i2"),   # DT_INT16
    6: np.dtype("i1"),    # DT_INT8
    9: np.dtype("<i8"),   # DT_INT64
    10: np.dtype("?"),    # DT_BOOL
    17: np.dtype("<u2"),  # DT_UINT16
    19: np.dtype("<f2"),  # DT_HALF
    22: np.dtype("<u4"),  # DT_UINT32
    23: np.dtype("<u8"),  # DT_UINT64
}
_DT_STRING = 7


class CheckpointError(MusicsageError):
    """A checkpoint file is truncated, corrupted or uses a feature this reader lacks."""


@dataclass(frozen=True)
class BundleHeader:
    num_shards: int
    little_endian: bool
    producer_version: int


@dataclass(frozen=True)
class TensorEntry:
    """Where one variable lives in the data shard(s), as the index describes it."""

    name: str
    dtype_code: int
    shape: tuple[int, ...]
    shard_id: int
    offset: int
    size: int
    crc32c: int | None  # masked, as stored; None when the writer left it out

    @property
    def dtype(self) -> np.dtype | None:
        return _DTYPES.get(self.dtype_code)


# --- the LevelDB table ------------------------------------------------------------------------


def _block_handle(buf: bytes | memoryview, pos: int) -> tuple[tuple[int, int], int]:
    offset, pos = read_varint(buf, pos)
    size, pos = read_varint(buf, pos)
    return (offset, size), pos


Fail = Callable[[str], CheckpointError]


def _read_block(table: bytes, handle: tuple[int, int], fail: Fail) -> memoryview:
    offset, size = handle
    end = offset + size + BLOCK_TRAILER_SIZE
    if end > len(table) - FOOTER_SIZE:
        raise fail(f"block at {offset}+{size} runs past the end of the file")
    contents = memoryview(table)[offset:offset + size]
    compression = table[offset + size]
    (stored,) = struct.unpack_from("<I", table, offset + size + 1)
    actual = _crc.crc32c(table[offset:offset + size + 1])
    if _crc.unmask(stored) != actual:
        raise fail(f"block at offset {offset} fails its checksum")
    if compression != NO_COMPRESSION:
        raise fail(f"block at offset {offset} uses compression type {compression} (only "
                   "uncompressed tables are supported)")
    return contents


def _iter_block(block: memoryview, fail: Fail) -> Iterator[tuple[bytes, memoryview]]:
    """Yield the (key, value) entries of one block, undoing the key prefix compression."""
    if len(block) < 4:
        raise fail("block too small")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    entries_end = len(block) - 4 * (num_restarts + 1)
    if num_restarts == 0 or entries_end < 0:
        raise fail("block has a broken restart array")
    restarts = set(struct.unpack_from(f"<{num_restarts}I", block, entries_end))
    key = b""
    pos = 0
    while pos < entries_end:
        entry_start = pos
        try:
            shared, pos = read_varint(block, pos)
            non_shared, pos = read_varint(block, pos)
            value_len, pos = read_varint(block, pos)
        except ProtobufError as exc:
            raise fail(f"block entry at {entry_start}: {exc}") from None
        if shared > len(key) or pos + non_shared + value_len > entries_end:
            raise fail(f"block entry at {entry_start} is out of bounds")
        if entry_start in restarts and shared != 0:
            raise fail(f"restart entry at {entry_start} shares a key prefix")
        key = key[:shared] + bytes(block[pos:pos + non_shared])
        pos += non_shared
        yield key, block[pos:pos + value_len]
        pos += value_len


def iter_table(table: bytes, *, source: str = "index") -> Iterator[tuple[bytes, memoryview]]:
    """Yield every (key, value) of a LevelDB-format table, in key order, verifying it."""

    def fail(problem: str) -> CheckpointError:
        return CheckpointError(f"{source}: corrupted checkpoint index ({problem})")

    if len(table) < FOOTER_SIZE:
        raise fail(f"{len(table)} bytes, shorter than the {FOOTER_SIZE}-byte footer")
    footer = memoryview(table)[len(table) - FOOTER_SIZE:]
    (magic,) = struct.unpack_from("<Q", footer, FOOTER_SIZE - 8)
    if magic != TABLE_MAGIC:
        raise fail("bad magic number: not a TensorFlow checkpoint index, or truncated")
    try:
        metaindex_handle, pos = _block_handle(footer, 0)
        index_handle, _ = _block_handle(footer, pos)
    except ProtobufError as exc:
        raise fail(f"footer: {exc}") from None
    for _ in _iter_block(_read_block(table, metaindex_handle, fail), fail):
        pass  # no filters are used; reading it still verifies its handle and checksum
    previous: bytes | None = None
    for _separator, handle_bytes in _iter_block(_read_block(table, index_handle, fail), fail):
        try:
            handle, _ = _block_handle(handle_bytes, 0)
        except ProtobufError as exc:
            raise fail(f"index entry: {exc}") from None
        for key, value in _iter_block(_read_block(table, handle, fail), fail):
            if previous is not None and key <= previous:
                raise fail(f"keys out of order at {key!r}")
            previous = key
            yield key, value


# --- the bundle protos ------------------------------------------------------------------------


def _parse_header(value: bytes | memoryview) -> BundleHeader:
    num_shards, endianness, producer = 1, 0, 0
    for field, _wire, v in iter_fields(value):
        if field == 1:
            num_shards = int(v)  # type: ignore[arg-type]
        elif field == 2:
            endianness = int(v)  # type: ignore[arg-type]
        elif field == 3 and isinstance(v, bytes):
            for sub_field, _w, sub_v in iter_fields(v):
                if sub_field == 1:
                    producer = int(sub_v)  # type: ignore[arg-type]
    return BundleHeader(num_shards=num_shards, little_endian=endianness == 0,
                        producer_version=producer)


def _parse_shape(value: bytes) -> tuple[int, ...]:
    dims: list[int] = []
    for field, _wire, v in iter_fields(value):
        if field == 2 and isinstance(v, bytes):  # repeated Dim {int64 size = 1; string name = 2}
            size = 0
            for dim_field, _w, dim_v in iter_fields(v):
                if dim_field == 1:
                    size = as_signed64(int(dim_v))  # type: ignore[arg-type]
            dims.append(size)
        elif field == 3 and v:
            raise ProtobufError("tensor of unknown rank")
    if any(d < 0 for d in dims):
        raise ProtobufError(f"negative dimension in shape {dims}")
    return tuple(dims)


def _parse_entry(name: str, value: bytes | memoryview) -> TensorEntry:
    dtype_code, shape, shard_id, offset, size, crc = 0, (), 0, 0, 0, None
    for field, _wire, v in iter_fields(value):
        if field == 1:
            dtype_code = int(v)  # type: ignore[arg-type]
        elif field == 2:
            shape = _parse_shape(v)  # type: ignore[arg-type]
        elif field == 3:
            shard_id = int(v)  # type: ignore[arg-type]
        elif field == 4:
            offset = as_signed64(int(v))  # type: ignore[arg-type]
        elif field == 5:
            size = as_signed64(int(v))  # type: ignore[arg-type]
        elif field == 6:
            crc = int(v)  # type: ignore[arg-type]
        elif field == 7:
            raise ProtobufError("partitioned (sliced) variables are not supported")
    return TensorEntry(name, dtype_code, shape, shard_id, offset, size, crc)


def read_index(index: bytes, *,
               source: str = "index") -> tuple[BundleHeader, dict[str, TensorEntry]]:
    """Parse a checkpoint's ``.index`` file into its header and per-variable entries."""
    header: BundleHeader | None = None
    entries: dict[str, TensorEntry] = {}
    for key, value in iter_table(index, source=source):
        try:
            if key == HEADER_KEY:
                header = _parse_header(value)
            else:
                name = key.decode("utf-8")
                entries[name] = _parse_entry(name, value)
        except (ProtobufError, UnicodeDecodeError) as exc:
            raise CheckpointError(f"{source}: corrupted checkpoint index "
                                  f"(entry {key!r}: {exc})") from None
    if header is None:
        raise CheckpointError(f"{source}: corrupted checkpoint index (no bundle header)")
    if not header.little_endian:
        raise CheckpointError(f"{source}: big-endian checkpoints are not supported")
    return header, entries


class Checkpoint:
    """A TF1 checkpoint held in memory: ``index`` bytes plus one bytes object per data shard.

    ``Checkpoint(index, [data]).tensor("dense/kernel")`` returns a numpy array with the
    variable's dtype and shape; every read checks bounds and the stored CRC.
    """

    def __init__(self, index: bytes, shards: Sequence[bytes], *,
                 source: str = "checkpoint") -> None:
        self.source = source
        self.header, self.entries = read_index(index, source=f"{source}.index")
        if self.header.num_shards != len(shards):
            raise CheckpointError(f"{source}: the index names {self.header.num_shards} data "
                                  f"shard(s), {len(shards)} given")
        self._shards = shards

    def names(self) -> list[str]:
        return sorted(self.entries)

    def tensor(self, name: str) -> np.ndarray:
        entry = self.entries.get(name)
        if entry is None:
            raise CheckpointError(f"{self.source}: no variable named {name!r}")
        shard_name = f"{self.source}.data-{entry.shard_id:05d}-of-{self.header.num_shards:05d}"
        if entry.dtype_code == _DT_STRING or entry.dtype is None:
            raise CheckpointError(f"{self.source}: variable {name!r} has unsupported dtype code "
                                  f"{entry.dtype_code}")
        if not 0 <= entry.shard_id < len(self._shards):
            raise CheckpointError(f"{self.source}: variable {name!r} names missing shard "
                                  f"{entry.shard_id}")
        data = self._shards[entry.shard_id]
        expected = int(np.prod(entry.shape, dtype=np.int64)) * entry.dtype.itemsize
        if entry.size != expected:
            raise CheckpointError(f"{self.source}.index: variable {name!r} has {entry.size} bytes "
                                  f"for shape {entry.shape} ({expected} expected)")
        if entry.offset < 0 or entry.offset + entry.size > len(data):
            raise CheckpointError(f"{shard_name}: truncated ({len(data)} bytes, variable {name!r} "
                                  f"needs bytes {entry.offset}..{entry.offset + entry.size})")
        raw = memoryview(data)[entry.offset:entry.offset + entry.size]
        if entry.crc32c is not None and _crc.unmask(entry.crc32c) != _crc.crc32c(raw):
            raise CheckpointError(f"{shard_name}: corrupted (checksum mismatch in variable "
                                  f"{name!r})")
        return np.frombuffer(raw, dtype=entry.dtype).reshape(entry.shape).copy()

    def tensors(self, keep: Callable[[str], bool] | None = None) -> dict[str, np.ndarray]:
        """Every variable (or those ``keep`` accepts), by name."""
        return {name: self.tensor(name) for name in self.names() if keep is None or keep(name)}


def is_optimizer_slot(name: str) -> bool:
    """Adam's moment slots (``…/Adam``, ``…/Adam_1``) and its beta powers: not model weights."""
    leaf = name.rsplit("/", 1)[-1]
    return leaf in ("Adam", "Adam_1") or name.startswith(("beta1_power", "beta2_power"))


def from_mapping(files: Mapping[str, bytes], prefix: str, *,
                 source: str | None = None) -> Checkpoint:
    """A checkpoint from a name -> bytes mapping (e.g. members of a zip) and its prefix."""
    index = files[prefix + ".index"]
    header, _ = read_index(index, source=(source or prefix) + ".index")
    n = header.num_shards
    shards = [files[f"{prefix}.data-{i:05d}-of-{n:05d}"] for i in range(n)]
    return Checkpoint(index, shards, source=source or prefix)
