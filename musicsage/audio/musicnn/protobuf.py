"""Just enough of the protobuf wire format to read TensorFlow checkpoint metadata.

A checkpoint's index stores ``BundleHeaderProto`` and ``BundleEntryProto`` messages. Pulling in
the protobuf package and TensorFlow's .proto files for five fields would be out of proportion,
so this decodes the wire format directly: a message is a run of (tag varint, payload) pairs,
tag = field_number << 3 | wire_type. Unknown fields are skipped, as protobuf itself does.
"""

from __future__ import annotations

import struct
from typing import Iterator

WIRE_VARINT, WIRE_FIXED64, WIRE_BYTES, WIRE_FIXED32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """Malformed wire data (truncated, over-long varint, unknown wire type)."""


def read_varint(buf: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Decode the base-128 varint at ``pos``; return (value, position after it)."""
    result = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise ProtobufError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 64:
            raise ProtobufError("varint longer than 10 bytes")


def iter_fields(buf: bytes | memoryview) -> Iterator[tuple[int, int, int | bytes]]:
    """Yield (field number, wire type, value): int for varint/fixed, bytes for length-delimited."""
    pos = 0
    end = len(buf)
    while pos < end:
        tag, pos = read_varint(buf, pos)
        field, wire = tag >> 3, tag & 7
        if field == 0:
            raise ProtobufError("field number 0")
        if wire == WIRE_VARINT:
            value, pos = read_varint(buf, pos)
        elif wire == WIRE_FIXED64:
            if pos + 8 > end:
                raise ProtobufError("truncated fixed64")
            (value,) = struct.unpack_from("<Q", buf, pos)
            pos += 8
        elif wire == WIRE_FIXED32:
            if pos + 4 > end:
                raise ProtobufError("truncated fixed32")
            (value,) = struct.unpack_from("<I", buf, pos)
            pos += 4
        elif wire == WIRE_BYTES:
            length, pos = read_varint(buf, pos)
            if pos + length > end:
                raise ProtobufError("truncated length-delimited field")
            value = bytes(buf[pos:pos + length])
            pos += length
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        yield field, wire, value


def as_signed64(value: int) -> int:
    """A varint read as int64 (negative numbers are encoded as 10-byte two's complement)."""
    return value - (1 << 64) if value >= 1 << 63 else value
