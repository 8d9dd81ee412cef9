"""The twelve OpenL3 audio models: input representation × content type × embedding size.

Pure data (no torch), so the CLI and the default-model choice can name and locate weights
without loading anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from musicsage.errors import MusicsageError

INPUT_REPRS = ("mel256", "mel128", "linear")
CONTENT_TYPES = ("music", "env")
EMBEDDING_SIZES = (512, 6144)
DEFAULT_VARIANT = "mel256_music_512"

WEIGHTS_VERSION = "v0_4_0"
GIT_BLOB_IDS = {
    ("mel256", "music"): "15e483646fa3d4091a463f0affbb706e6bbbb098",
    ("mel256", "env"): "34dbd7a91cdd2de6a3d6d036ac0a24d27d78e3cc",
    ("mel128", "music"): "73ff29de441865318c4b3a3f98c40763c4773e7c",
    ("mel128", "env"): "8c3dfee140f7776373841e5938a3e76c54f28942",
    ("linear", "music"): "4e2e61beb17865481c8b8791c72eac8307e2753a",
    ("linear", "env"): "7837407f033f3564c7e8d53fc4a4241fe160478b",
}
"""Git blob ids of the ``.h5.gz`` files on the openl3 ``models`` branch (docs/audio-models.md)."""

# Final max-pool sizes (over the 512-channel map of audio_embedding_layer) per embedding size.
# The map is 32×24 for mel256/linear and 16×24 for mel128.
POOL_SIZES = {
    ("mel256", 512): (32, 24), ("mel256", 6144): (8, 8),
    ("mel128", 512): (16, 24), ("mel128", 6144): (4, 8),
    ("linear", 512): (32, 24), ("linear", 6144): (8, 8),
}
INPUT_BINS = {"mel256": 256, "mel128": 128, "linear": 257}


@dataclass(frozen=True)
class Variant:
    input_repr: str
    content_type: str
    embedding_size: int

    @property
    def name(self) -> str:
        return f"{self.input_repr}_{self.content_type}_{self.embedding_size}"

    @property
    def model_id(self) -> str:
        """The storage key, e.g. ``openl3-mel256-music-512``."""
        return f"openl3-{self.input_repr}-{self.content_type}-{self.embedding_size}"

    @property
    def weights_stem(self) -> str:
        """``openl3_audio_mel256_music-v0_4_0`` (the file is ``<stem>.h5.gz``)."""
        return f"openl3_audio_{self.input_repr}_{self.content_type}-{WEIGHTS_VERSION}"

    @property
    def blob_id(self) -> str:
        return GIT_BLOB_IDS[(self.input_repr, self.content_type)]

    @property
    def pool_size(self) -> tuple[int, int]:
        return POOL_SIZES[(self.input_repr, self.embedding_size)]


def parse_variant(text: str | None) -> Variant:
    """``mel256_music_512``, ``openl3-mel128-env-6144``, ``linear-music`` … → :class:`Variant`.

    Missing parts take the defaults (mel256, music, 512). Unknown parts raise MusicsageError,
    and so do two values of one part (``mel256_mel128_music``, ``music_512_6144``): the last
    one was taken without a word, and the library embedded with a model the user did not
    mean to name.
    """
    if not text:
        text = DEFAULT_VARIANT
    parts = [p for p in text.lower().replace("-", "_").split("_") if p and p != "openl3"]
    chosen: dict[str, str] = {}
    for part in parts:
        kind, value = _kind_of(part, text)
        if chosen.setdefault(kind, value) != value:
            raise MusicsageError(f"OpenL3 variant {text!r} names two {kind}s ({chosen[kind]} "
                                 f"and {value}): name one")
    return Variant(chosen.get("input representation", "mel256"),
                   chosen.get("content type", "music"),
                   int(chosen.get("embedding size", "512")))


def _kind_of(part: str, text: str) -> tuple[str, str]:
    """Which part of a variant's name ``part`` is, and its value (``0512`` is 512);
    MusicsageError naming ``text`` if none."""
    if part in INPUT_REPRS:
        return "input representation", part
    if part in CONTENT_TYPES:
        return "content type", part
    if part.isdecimal() and int(part) in EMBEDDING_SIZES:  # "²" is a digit int() refuses
        return "embedding size", str(int(part))
    raise MusicsageError(
        f"unknown OpenL3 variant {text!r}: use input_repr_content_size with input_repr in "
        f"{INPUT_REPRS}, content in {CONTENT_TYPES}, size in {EMBEDDING_SIZES}")
