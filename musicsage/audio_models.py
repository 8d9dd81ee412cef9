"""The audio-model registry: every family of audio model the app knows, in one table.

A *family* (``openl3``, ``musicnn``, ``spectral``) is one kind of network or DSP recipe; a
*model id* names one concrete variant of it and always starts with the family name
(``openl3-mel256-music-512``, ``musicnn-msd-max_pool``, ``spectral``). Everything that has to
know the families reads them from :data:`FAMILIES`: the library DB (which ids it accepts),
the embedder registry (which module builds a family, in which order the default is chosen),
the window's "Audio model" menu (labels) and the demo (which families need torch).

Plain data, no imports: the library layer (which sits left of ``audio/``) can read it. To add
a family, see docs/audio-models.md: one entry here and one module with ``create_embedder`` and
``weights_available``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioModelFamily:
    """One family of audio models and the facts other layers need about it."""

    name: str
    """The family name; every model id of the family starts with it."""
    label: str
    """What the window shows."""
    module: str
    """The module providing ``create_embedder(ctx, **policy)`` and ``weights_available``."""
    needs_weights: bool = True
    """False for a model computed from the signal alone (always available)."""
    uses_torch: bool = True
    """Whether building/running it imports torch (thread settings apply)."""
    download_hint: str = ""
    """How to get the weights, appended to "weights not found"; ``{model}`` stands for the
    model id to pass to ``--model`` (:meth:`how_to_enable_for`)."""

    @property
    def how_to_enable(self) -> str:
        """:attr:`download_hint` for the family's default model, as the default choice says
        it when it passes the family over."""
        return self.how_to_enable_for(self.name)

    def how_to_enable_for(self, model_id: str) -> str:
        """:attr:`download_hint` naming ``model_id``: a library of another model than the
        family's default is told the download that keeps its own model (``--model openl3``
        would switch every track to the default variant). A placeholder, not a search for
        "--model openl3`" in a sentence that a reworded hint silently stopped matching."""
        return self.download_hint.replace("{model}", model_id.strip().lower())


FAMILIES: tuple[AudioModelFamily, ...] = (
    AudioModelFamily(
        "openl3", "OpenL3", "musicsage.audio.openl3",
        download_hint=" — `musicsage embed --model {model}` downloads them, or pass "
                      "--openl3-weights PATH"),
    AudioModelFamily("musicnn", "MusiCNN", "musicsage.audio.musicnn",
                     download_hint=" — `musicsage embed --model {model}` downloads them"),
    AudioModelFamily("spectral", "Spectral (DSP)", "musicsage.audio.spectral",
                     needs_weights=False, uses_torch=False),
)
"""Every family, in the order the default audio model is chosen (the first one available)."""

MODEL_ID_PREFIXES: tuple[str, ...] = tuple(f.name for f in FAMILIES)
"""A stored audio model id must start with one of these."""


def family_named(name: str) -> AudioModelFamily | None:
    """The family of a family name or a full model id (``openl3``, ``openl3-mel128-env-6144``,
    ``musicnn_msd``), or None when no family answers to it."""
    key = name.strip().lower()
    for family in FAMILIES:
        if key == family.name or key.startswith((family.name + "-", family.name + "_")):
            return family
    return None


def preference_rank(model_id: str) -> int:
    """Position of ``model_id``'s family in :data:`FAMILIES` (unknown ids rank last)."""
    return next((i for i, f in enumerate(FAMILIES) if model_id.startswith(f.name)), len(FAMILIES))
