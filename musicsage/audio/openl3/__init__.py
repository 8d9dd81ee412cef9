"""OpenL3 (Cramer et al. 2019) ported to PyTorch, with the official weights (CC BY 4.0).

This module is the family entry point of :mod:`musicsage.audio.embedder`'s registry and stays
light (no torch at import): :func:`weights_available` only looks at files, and
:func:`create_embedder` resolves, downloads (when allowed) and converts weights, then builds an
:class:`~musicsage.audio.openl3.embedder.OpenL3Embedder`.

Submodules: ``variants`` (names, blob ids), ``filters`` (mel matrix), ``framing`` (1-s frames),
``network`` (torch model + kapre front-end), ``keras_h5`` (weights loader), ``weights``
(download/cache/convert), ``embedder``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3.variants import Variant, parse_variant

if TYPE_CHECKING:
    from musicsage.audio.openl3.embedder import OpenL3Embedder
    from musicsage.context import AppContext

SETTING_KEY = "openl3_weights"
"""The settings-table key holding a user-chosen weights file (CLI ``--openl3-weights``)."""


def setting_weights(ctx: "AppContext") -> str | None:
    """The ``openl3_weights`` setting, or None (never creates a library DB just to ask)."""
    if not Path(ctx.db_path).is_file():
        return None
    from musicsage.library.db import connect
    from musicsage.library.queries import get_setting

    value = get_setting(connect(ctx), SETTING_KEY)
    return str(value) if value else None


def resolve_source(ctx: "AppContext", variant: Variant, *, weights: str | os.PathLike | None = None,
                   weights_dir: str | os.PathLike | None = None) -> Path | None:
    """The local Keras file to use: explicit ``weights``, the setting, then the cache dir.

    An explicit or configured file that does not exist raises :class:`MissingWeights`
    (a typo must not silently fall back to a download).
    """
    from musicsage.audio.openl3.weights import cached_source

    explicit = weights if weights is not None else setting_weights(ctx)
    if explicit:
        return weights_file(explicit, variant)
    return cached_source(Path(weights_dir or ctx.weights_dir), variant)


def weights_file(path: str | os.PathLike, variant: Variant | str | None = None) -> Path:
    """``path`` (``~`` expanded) when it is a file; :class:`MissingWeights` otherwise, saying
    what it is. A folder was said to be "not found", though it is there, which sent the user
    looking for a typo: it is named a folder, with the file expected (in it, when there)."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise MissingWeights(_folder_given(p, variant if isinstance(variant, Variant)
                                           else parse_variant(variant)))
    if not p.is_file():
        raise MissingWeights(f"OpenL3 weights file {p} not found")
    return p


def _folder_given(folder: Path, variant: Variant) -> str:
    """A folder given as the weights file: the file expected, in it or to give instead."""
    names = [variant.weights_stem + suffix for suffix in (".h5.gz", ".h5")]
    inside = next((folder / n for n in names if (folder / n).is_file()), None)
    expected = f"did you mean {inside}?" if inside else f"give the file ({names[0]}, or a .h5)"
    return f"OpenL3 weights {folder} is a folder, not the weights file: {expected}"


def weights_available(ctx: "AppContext", *, model_id: str | None = None,
                      variant: str | None = None, weights: str | None = None,
                      weights_dir: str | None = None, **_: Any) -> bool:
    """True when the variant's weights are on disk (no download, no torch import)."""
    v = parse_variant(variant or model_id)
    try:
        return resolve_source(ctx, v, weights=weights, weights_dir=weights_dir) is not None
    except MissingWeights:
        return False


def identity(ctx: "AppContext", *, model_id: str | None = None, variant: str | None = None,
             hop: float | None = None, max_seconds: float | None = None,
             n_excerpts: int | None = None, random_weights: bool = False,
             **_: Any) -> tuple[str, str]:
    """Registry hook: (model id, model version) of the embedder this policy builds, without
    torch or the weights."""
    from musicsage.audio.openl3 import embedder as emb

    v = parse_variant(variant or model_id)
    version = emb.policy_version(
        hop=float(hop if hop is not None else emb.DEFAULT_HOP),
        max_seconds=float(max_seconds if max_seconds is not None else emb.DEFAULT_MAX_SECONDS),
        n_excerpts=int(n_excerpts if n_excerpts is not None else emb.DEFAULT_EXCERPTS))
    return v.model_id, version + (";random-weights" if random_weights else "")


def create_embedder(ctx: "AppContext", *, model_id: str | None = None, variant: str | None = None,
                    weights: str | os.PathLike | None = None,
                    weights_dir: str | os.PathLike | None = None, download: bool = True,
                    url_base: str | None = None, hop: float | None = None,
                    max_seconds: float | None = None, n_excerpts: int | None = None,
                    device: str | None = None, batch_size: int | None = None,
                    random_weights: bool = False, progress=None, cancel=None,
                    **_: Any) -> "OpenL3Embedder":
    """Build the OpenL3 embedder (see :func:`musicsage.audio.embedder.get_embedder`).

    ``random_weights=True`` skips the weights entirely (benchmarks, tests of the plumbing).
    Raises :class:`MissingWeights` when no weights can be found or fetched.
    """
    from musicsage.audio.device import resolve_device
    from musicsage.audio.openl3 import embedder as emb
    from musicsage.audio.openl3.weights import download_weights, how_to_get, load_state_dict

    hop = hop if hop is not None else emb.DEFAULT_HOP
    max_seconds = max_seconds if max_seconds is not None else emb.DEFAULT_MAX_SECONDS
    n_excerpts = n_excerpts if n_excerpts is not None else emb.DEFAULT_EXCERPTS
    # a policy or a device that cannot run is refused before any download or loading of weights
    emb.check_policy(hop=hop, max_seconds=max_seconds, n_excerpts=n_excerpts)
    device = resolve_device(device)
    v = parse_variant(variant or model_id)
    wdir = Path(weights_dir or ctx.weights_dir)
    state = None
    if not random_weights:
        source = resolve_source(ctx, v, weights=weights, weights_dir=wdir)
        if source is None:
            if not download:
                raise MissingWeights(f"OpenL3 {v.input_repr}_{v.content_type} weights not found: "
                                     f"{how_to_get(v, wdir)}")
            source = download_weights(v, wdir, base=url_base, progress=progress, cancel=cancel)
        state = load_state_dict(v, source, wdir)
    return emb.OpenL3Embedder(v, state, hop=hop, max_seconds=max_seconds, n_excerpts=n_excerpts,
                              device=device, batch_size=batch_size)
