"""The TF1 checkpoint reader on the real musicnn wheel, and its rejection of damaged files."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from musicsage.audio.musicnn import crc32c as crc
from musicsage.audio.musicnn.protobuf import ProtobufError, iter_fields, read_varint
from musicsage.audio.musicnn.tf_checkpoint import (Checkpoint, CheckpointError, is_optimizer_slot,
                                                   iter_table, read_index)
from musicsage.errors import MusicsageError

WHEEL = Path(__file__).resolve().parents[2] / "models" / "musicnn-0.1.0-py3-none-any.whl"

# Every weight of MSD_musicnn / MTT_musicnn, as the original models.py builds them.
EXPECTED_SHAPES = {
    "batch_normalization": (1,),
    "conv2d/kernel": (7, 38, 1, 204), "batch_normalization_1": (204,),
    "conv2d_1/kernel": (7, 67, 1, 204), "batch_normalization_2": (204,),
    "conv2d_2/kernel": (128, 1, 1, 51), "batch_normalization_3": (51,),
    "conv2d_3/kernel": (64, 1, 1, 51), "batch_normalization_4": (51,),
    "conv2d_4/kernel": (32, 1, 1, 51), "batch_normalization_5": (51,),
    "conv2d_5/kernel": (7, 561, 1, 64), "batch_normalization_6": (64,),
    "conv2d_6/kernel": (7, 64, 1, 64), "batch_normalization_7": (64,),
    "conv2d_7/kernel": (7, 64, 1, 64), "batch_normalization_8": (64,),
    "batch_normalization_9": (1506,),
    "dense/kernel": (1506, 200), "batch_normalization_10": (200,),
    "dense_1/kernel": (200, 50),
}


def expected_shape(name: str) -> tuple[int, ...]:
    """Shape of a weight (or of its Adam slots, which mirror it) in the musicnn checkpoints."""
    base = name.removesuffix("/Adam_1").removesuffix("/Adam")
    if base in ("beta1_power", "beta2_power"):
        return ()
    scope, leaf = base.rsplit("/", 1)
    if leaf == "bias":
        return (EXPECTED_SHAPES[scope + "/kernel"][-1],)
    if leaf == "kernel":
        return EXPECTED_SHAPES[base]
    assert leaf in ("gamma", "beta", "moving_mean", "moving_variance"), name
    return EXPECTED_SHAPES[scope]


@pytest.fixture(scope="module")
def wheel_zip():
    if not WHEEL.is_file():
        pytest.skip(f"{WHEEL.name} absent: scripts/setup.sh downloads it into models/")
    with zipfile.ZipFile(WHEEL) as z:
        yield z


def members(z: zipfile.ZipFile, model: str) -> tuple[bytes, bytes]:
    return z.read(f"musicnn/{model}/.index"), z.read(f"musicnn/{model}/.data-00000-of-00001")


# --- building blocks ------------------------------------------------------------------------


def test_crc32c_known_values_and_fast_path_agree_with_plain_loop():
    assert crc.crc32c(b"") == 0
    assert crc.crc32c(b"123456789") == 0xE3069283  # the standard check value
    assert crc.crc32c(bytes(32)) == 0x8A9136AA      # RFC 3720 B.4
    assert crc.crc32c(b"\xff" * 32) == 0x62A8AB43
    data = np.random.default_rng(0).integers(0, 256, 300_007, dtype=np.uint8).tobytes()
    plain = crc._advance_scalar(0xFFFFFFFF, data) ^ 0xFFFFFFFF
    assert crc.crc32c(data) == plain  # lane-parallel path (>= 64 KiB)
    assert crc.crc32c(data[1000:], crc.crc32c(data[:1000])) == plain
    for value in (0, 1, 0xE3069283, 0xFFFFFFFF):
        assert crc.unmask(crc.mask(value)) == value


def test_protobuf_decoder_reads_varints_and_fields_and_rejects_truncation():
    assert read_varint(b"\xac\x02", 0) == (300, 2)
    message = b"\x08\x96\x01" + b"\x12\x03abc" + b"\x2d\x01\x00\x00\x00"
    assert list(iter_fields(message)) == [(1, 0, 150), (2, 2, b"abc"), (5, 5, 1)]
    with pytest.raises(ProtobufError):
        list(iter_fields(b"\x12\x05ab"))
    with pytest.raises(ProtobufError):
        read_varint(b"\x80\x80", 0)


# --- the real checkpoints ---------------------------------------------------------------------


def test_wheel_holds_the_expected_checkpoints(wheel_zip):
    names = {n.split("/")[1] for n in wheel_zip.namelist() if n.endswith("/.index")}
    assert {"MSD_musicnn", "MTT_musicnn"} <= names


@pytest.mark.parametrize("model", ["MSD_musicnn", "MTT_musicnn"])
def test_every_tensor_reads_with_its_dtype_and_shape(wheel_zip, model):
    index, data = members(wheel_zip, model)
    ckpt = Checkpoint(index, [data], source=model)
    assert ckpt.header.num_shards == 1 and ckpt.header.little_endian
    tensors = ckpt.tensors()
    # 42 trainable weights, each with two Adam slots, 22 BN moving statistics, 2 beta powers
    assert len(tensors) == 150
    assert sum(not is_optimizer_slot(n) for n in tensors) == 64
    for name, value in tensors.items():
        assert value.dtype == np.float32, name
        assert value.shape == expected_shape(name), name
        assert np.isfinite(value).all(), name
    # The entries tile the data file exactly: nothing unread, nothing overlapping.
    spans = sorted((e.offset, e.size) for e in ckpt.entries.values())
    assert spans[0][0] == 0 and sum(size for _, size in spans) == len(data)
    assert all(a + s == b for (a, s), (b, _) in zip(spans, spans[1:]))
    # Sanity of values: BN variances positive; the input BN holds the log-mel statistics.
    assert (tensors["batch_normalization_9/moving_variance"] > 0).all()
    assert 1.0 < float(tensors["batch_normalization/moving_mean"][0]) < 4.0


def test_msd_and_mtt_checkpoints_differ(wheel_zip):
    msd, mtt = (Checkpoint(index, [data]) for index, data in
                (members(wheel_zip, "MSD_musicnn"), members(wheel_zip, "MTT_musicnn")))
    assert not np.array_equal(msd.tensor("dense_1/kernel"), mtt.tensor("dense_1/kernel"))


# --- damaged files ----------------------------------------------------------------------------


def flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x40]) + data[position + 1:]


def test_truncated_index_is_rejected(wheel_zip):
    index, data = members(wheel_zip, "MSD_musicnn")
    for cut in (len(index) // 2, len(index) - 1, 20):
        with pytest.raises(CheckpointError, match="corrupted checkpoint index"):
            Checkpoint(index[:cut], [data], source="MSD_musicnn")


@pytest.mark.parametrize("position", [10, 1000, 2500])
def test_byte_flipped_index_fails_its_block_checksum(wheel_zip, position):
    index, data = members(wheel_zip, "MSD_musicnn")
    with pytest.raises(CheckpointError, match="checksum"):
        read_index(flip(index, position), source="x.index")


def test_damaged_footer_is_rejected(wheel_zip):
    index, data = members(wheel_zip, "MSD_musicnn")
    with pytest.raises(CheckpointError, match="magic"):
        read_index(flip(index, len(index) - 3))
    with pytest.raises(CheckpointError):
        read_index(flip(index, len(index) - 48))  # the metaindex/index block handles


def test_truncated_data_file_is_rejected_naming_the_file(wheel_zip):
    index, data = members(wheel_zip, "MSD_musicnn")
    ckpt = Checkpoint(index, [data[: len(data) - 1000]], source="MSD_musicnn")
    with pytest.raises(CheckpointError, match=r"data-00000-of-00001: truncated"):
        ckpt.tensors()


def test_byte_flipped_data_file_fails_the_tensor_checksum(wheel_zip):
    index, data = members(wheel_zip, "MSD_musicnn")
    entry = Checkpoint(index, [data]).entries["conv2d_5/kernel"]
    ckpt = Checkpoint(index, [flip(data, entry.offset + entry.size // 2)], source="MSD_musicnn")
    with pytest.raises(CheckpointError, match=r"checksum mismatch in variable 'conv2d_5/kernel'"):
        ckpt.tensor("conv2d_5/kernel")
    ckpt.tensor("conv2d_4/kernel")  # the others still read


def test_checkpoint_errors_are_user_facing_and_files_on_disk_too(tmp_path, wheel_zip):
    index, data = members(wheel_zip, "MTT_musicnn")
    (tmp_path / "bad.index").write_bytes(index[:-100])
    assert issubclass(CheckpointError, MusicsageError)
    with pytest.raises(CheckpointError) as info:
        read_index((tmp_path / "bad.index").read_bytes(), source=str(tmp_path / "bad.index"))
    assert "\n" not in str(info.value) and "bad.index" in str(info.value)


def test_keys_come_out_sorted_and_complete(wheel_zip):
    index, _ = members(wheel_zip, "MSD_musicnn")
    keys = [k for k, _ in iter_table(index)]
    assert keys[0] == b"" and keys == sorted(keys) and len(keys) == 151  # header + 150
    assert os.path.commonprefix([k.decode() for k in keys[1:9]]) == "batch_normalization/"


@pytest.mark.parametrize("model", ["MSD_vgg", "MTT_vgg"])
def test_the_reader_is_generic_vgg_checkpoints_read_too(wheel_zip, model):
    index, data = members(wheel_zip, model)
    tensors = Checkpoint(index, [data], source=model).tensors()
    assert len(tensors) > 20 and all(np.isfinite(v).all() for v in tensors.values())
