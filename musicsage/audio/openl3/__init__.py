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
"""The settings-table key holding the user-chosen weights files (CLI ``--openl3-weights``): a
mapping ``{"mel128_env": PATH}`` — one file served every variant, and a run of another variant
embedded with the wrong weights without a word. Earlier versions stored one path (a str)."""


def setting_weights(ctx: "AppContext", variant: Variant | None = None) -> str | None:
    """The remembered weights file of ``variant`` (default mel256_music), or None (never
    creates a library DB just to ask). A path stored by an earlier version serves the
    variant its name or blob id says, else the variant of the library's OpenL3 vectors."""
    if not Path(ctx.db_path).is_file():
        return None
    value = _remembered(ctx)
    key = _key(variant or parse_variant(None))
    if isinstance(value, dict):
        found = value.get(key)
        return str(found) if isinstance(found, str) and found else None
    if isinstance(value, str) and value:
        return value if (file_variant(value) or _library_key(ctx)) == key else None
    return None


def _remembered(ctx: "AppContext") -> object:
    from musicsage.library.db import connect
    from musicsage.library.queries import get_setting

    return get_setting(connect(ctx), SETTING_KEY)


def _key(variant: Variant) -> str:
    """Weights differ by input representation and content type, not by embedding size."""
    return f"{variant.input_repr}_{variant.content_type}"


def _library_key(ctx: "AppContext") -> str:
    """The weights key of the library's OpenL3 vectors (of its most common OpenL3 model);
    with none left, of its audio model when that is OpenL3 (an older version's single path,
    given with ``--openl3-variant mel128_env_512``, was taken for mel256_music's once a
    re-scan dropped the vectors); else the default variant's."""
    from musicsage.audio.library_model import AUDIO_MODEL_SETTING
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_counts, get_setting

    conn = connect(ctx)
    counts = {m: n for m, n in embedding_counts(conn).items() if m.startswith("openl3")}
    chosen = get_setting(conn, AUDIO_MODEL_SETTING)
    fallback = chosen if isinstance(chosen, str) and chosen.startswith("openl3") else None
    return _key(parse_variant(max(counts, key=counts.__getitem__) if counts else fallback))


def remember_weights(ctx: "AppContext", variant: Variant, path: str | None) -> None:
    """Remember ``path`` as ``variant``'s weights file (None: forget it)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import set_setting

    value = _remembered(ctx)
    mapping = dict(value) if isinstance(value, dict) else {}
    if isinstance(value, str) and value:
        mapping[file_variant(value) or _library_key(ctx)] = value
    mapping.pop(_key(variant), None)
    if path is not None:
        mapping[_key(variant)] = path
    set_setting(connect(ctx), SETTING_KEY, mapping or None)


def file_variant(path: str | os.PathLike) -> str | None:
    """``mel256_music`` when the file is that variant's by its blob id (an official
    ``.h5.gz``) or its name (``openl3_audio_mel256_music-…``); None when it cannot be told."""
    from musicsage.audio.openl3.variants import CONTENT_TYPES, GIT_BLOB_IDS, INPUT_REPRS
    from musicsage.audio.openl3.weights import file_blob_id
    from musicsage.library.paths import home_expanded

    blob = file_blob_id(home_expanded(path))  # ~nouser: one line, not a traceback
    for (repr_, content), known in GIT_BLOB_IDS.items():
        if blob == known:
            return f"{repr_}_{content}"
    name = Path(path).name.lower().replace("-", "_")
    found = [f"{r}_{c}" for r in INPUT_REPRS for c in CONTENT_TYPES if f"_{r}_{c}" in f"_{name}"]
    return found[0] if len(found) == 1 else None


def resolve_source(ctx: "AppContext", variant: Variant, *, weights: str | os.PathLike | None = None,
                   weights_dir: str | os.PathLike | None = None) -> Path | None:
    """The local Keras file to use: explicit ``weights``, the remembered one, else the first
    folder holding it: ``weights_dir`` when given, else each of ``ctx.model_dirs`` (the
    weights folder, the user cache's, a checkout's ``models/`` only read), as MusiCNN looks.

    An explicit file that does not exist raises :class:`MissingWeights` (a typo must not
    silently fall back to a download); a remembered one that is gone is passed over
    (:func:`gone_note` says so): it blocked OpenL3 for good, with contradicting messages.
    """
    from musicsage.audio.openl3.weights import cached_source

    if weights is not None:
        return weights_file(weights, variant)
    remembered = setting_weights(ctx, variant)
    if remembered and Path(remembered).expanduser().is_file():
        return weights_file(remembered, variant)
    folders = [Path(weights_dir)] if weights_dir is not None else ctx.model_dirs
    return next((found for folder in folders
                 if (found := cached_source(folder, variant)) is not None), None)


def gone_note(ctx: "AppContext", variant: Variant, weights_dir: Path | None) -> str:
    """The line for a remembered weights file that is gone ("" when there is none); with no
    ``weights_dir`` (none served instead) it only names the file and its setting."""
    remembered = setting_weights(ctx, variant)
    if not remembered or Path(remembered).expanduser().is_file():
        return ""
    gone = (f"the remembered OpenL3 weights file {remembered} (setting {SETTING_KEY}, from "
            f"--openl3-weights) is gone")
    return gone if weights_dir is None else (
        f"{gone}: forgotten, this run uses the weights in {weights_dir} (pass "
        "--openl3-weights PATH to choose a file again)")


def weights_file(path: str | os.PathLike, variant: Variant | str | None = None) -> Path:
    """``path`` (``~`` expanded) when it is a file; :class:`MissingWeights` otherwise, saying
    what it is. A folder was said to be "not found", though it is there, which sent the user
    looking for a typo: it is named a folder, with the file expected (in it, when there).
    A ``~user`` naming no user of this system is refused in one line (it was a traceback)."""
    from musicsage.library.paths import home_expanded

    p = home_expanded(path, suffix=" (nothing was embedded)")
    if p.is_dir():
        raise MissingWeights(_folder_given(p, variant if isinstance(variant, Variant)
                                           else parse_variant(variant)))
    if not p.is_file():
        raise MissingWeights(_not_a_file(p))
    if variant is not None:
        _refuse_other_variant(p, variant if isinstance(variant, Variant)
                              else parse_variant(variant))
    return p


def _not_a_file(path: Path) -> str:
    """Why ``path``, no file and no folder, is no weights file: "not found" was said of
    ``/dev/null``, a named pipe or a socket, which are there (the user looked for a typo), and
    of a link to a file that is gone, which is there as a link (an unplugged drive's). Where
    the link leads is where its links lead in the end: a chain named its next link as "not
    there", and a link to itself was "a link to itself, which is not there"; a loop is said."""
    import errno
    import stat

    try:
        mode, loop = path.stat().st_mode, False
    except OSError as exc:
        mode, loop = None, exc.errno == errno.ELOOP
    if mode is not None:
        kind = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a named pipe"
                if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "no file")
        return (f"OpenL3 weights {path} is not a regular file ({kind}): give the weights file "
                "(a .h5 or .h5.gz file)")
    if loop:
        return (f"OpenL3 weights file {path} leads round a loop of links: give the file "
                "itself")
    if path.is_symlink():
        return (f"OpenL3 weights file {path} is a link to {os.path.realpath(path)}, which is "
                "not there: plug in the drive it leads to, or give the file itself")
    return f"OpenL3 weights file {path} not found"


def _refuse_other_variant(path: Path, variant: Variant) -> None:
    """A file that is another variant's is refused: its vectors would be stored as this
    variant's (``--openl3-variant linear_env_512 --openl3-weights …mel256_music.h5``)."""
    from musicsage.errors import MusicsageError

    owner = file_variant(path)
    if owner is not None and owner != _key(variant):
        raise MusicsageError(f"{path} holds the OpenL3 {owner} weights, not {_key(variant)}'s: "
                             f"pass --openl3-variant {owner}_{variant.embedding_size}, or the "
                             f"{_key(variant)} weights file")


def _folder_given(folder: Path, variant: Variant) -> str:
    """A folder given as the weights file: the file expected, in it or to give instead."""
    names = [variant.weights_stem + suffix for suffix in (".h5.gz", ".h5")]
    inside = next((folder / n for n in names if (folder / n).is_file()), None)
    expected = f"did you mean {inside}?" if inside else f"give the file ({names[0]}, or a .h5)"
    return f"OpenL3 weights {folder} is a folder, not the weights file: {expected}"


def model_asked(model: str | None, variant: str | None) -> str | None:
    """The OpenL3 model id ``--openl3-variant`` asks an ``embed`` given no ``--model`` for
    (None: no variant given, or ``--model`` names the model); ``--model`` is None or an
    OpenL3 one (:func:`musicsage.audio.selection.embed_library` refuses the variant beside
    another family's). Refused in one line: a blank variant (a script's unset ``"$V"``),
    which read as the default model's name and, on a library of another model, downloaded
    its weights and re-embedded every track; and a ``--model`` naming another OpenL3 model
    (``--model openl3-mel256-music-512 --openl3-variant mel128_env_512`` embedded mel128_env
    under a line saying mel256_music was requested)."""
    from musicsage.errors import MusicsageError

    if variant is not None and not variant.strip():
        raise MusicsageError("--openl3-variant is empty: name an OpenL3 model (e.g. "
                             "mel256_music_512), or leave it out; nothing was done")
    if variant is None:
        return None
    asked = parse_variant(variant).model_id
    if model is not None and model.strip().lower() != "openl3" \
            and parse_variant(model).model_id != asked:
        raise MusicsageError(f"--openl3-variant {variant} names {asked}, and --model "
                             f"{model} another model: give only one of them")
    return asked if model is None else None


def weights_available(ctx: "AppContext", *, model_id: str | None = None,
                      variant: str | None = None, weights: str | None = None,
                      weights_dir: str | None = None, **_: Any) -> bool:
    """True when the variant's weights are on disk (no download, no torch import). Absent
    while a remembered file is gone, they raise :class:`MissingWeights` naming it: "weights
    not found" sent the user looking in the models folder for a file never put there."""
    from musicsage.audio.openl3.weights import DamagedWeights

    v = parse_variant(variant or model_id)
    try:
        found = resolve_source(ctx, v, weights=weights, weights_dir=weights_dir) is not None
    except DamagedWeights:
        raise  # not counted, and the default choice says why it moved on
    except MissingWeights:
        return False
    gone = "" if found or weights is not None else gone_note(ctx, v, None)
    if gone:
        raise MissingWeights(f"weights not found, and {gone}")
    return found


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
    state, note = None, ""
    if not random_weights:
        source = resolve_source(ctx, v, weights=weights, weights_dir=weights_dir)
        if source is None:
            if not download:
                raise MissingWeights(f"OpenL3 {v.input_repr}_{v.content_type} weights not found: "
                                     f"{how_to_get(v, wdir)}")
            source = download_weights(v, wdir, base=url_base, progress=progress, cancel=cancel)
        note = "" if weights is not None else gone_note(ctx, v, source.parent)  # the one used
        state = load_state_dict(v, source, wdir)
        if note:  # the cache or a download served: the file gone is said once
            remember_weights(ctx, v, None)
    embedder = emb.OpenL3Embedder(v, state, hop=hop, max_seconds=max_seconds,
                                  n_excerpts=n_excerpts, device=device, batch_size=batch_size)
    embedder.weights_note = note
    return embedder
