"""Which audio model to use, and which one the library's shown vectors came from.

- :func:`choose_default_model`: the first family of openl3 → musicnn → spectral whose weights
  are on disk (never downloads), with a sentence saying why — the CLI prints it.
- :func:`choice_without_model`: what an ``embed`` given no model uses: the library's own audio
  model (:func:`library_model_id`) when it has one, else :func:`choose_default_model`.
- :func:`library_model_id`: the library's chosen audio model: :func:`current_model_id`, or
  with no vectors left at all the ``audio_model`` setting.
- :func:`current_model_id`: the audio model id whose vectors the app shows: the
  ``audio_model`` setting (written by the last completed embed run) when vectors of it exist,
  else the model id with the most vectors (preference order breaks ties).
- :func:`embed_library`: the service behind ``musicsage embed``: choose/build the embedder, run
  the job, remember the choice.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from musicsage.audio.embedder import (MissingWeights, available_models, family_of, get_embedder,
                                      max_seconds_as_stored, why_no_hop)
from musicsage.audio.library_model import AUDIO_MODEL_SETTING, settle_library_model
from musicsage.audio.model_fallback import check_weights_on_disk, how_to_enable, instead
from musicsage.audio_models import family_named, preference_rank

if TYPE_CHECKING:
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.context import AppContext

BUDGET_SETTING = "analysis_budget"
_DEFAULTS_TOLD: set[tuple[str, str]] = set()  # (library, model): see _budget_of_vectors
"""Per family, the ``hop``/``max_seconds`` the library was last analysed with (when given)."""


def choose_default_model(ctx: "AppContext", **policy: Any) -> tuple[str, str]:
    """``(family, reason)``: the best family whose weights are present."""
    skipped = []
    for a in available_models(ctx, **policy):
        if a.available:
            why = f"{a.family}: {a.reason}"
            if skipped:
                why += " (" + "; ".join(skipped) + ")"
            return a.family, why
        skipped.append(f"{a.family}: {a.reason}{how_to_enable(a.family, a.family, a.reason)}")
    return "spectral", "spectral: fallback"


class ModelChoice(NamedTuple):
    """The audio model an ``embed`` uses: ``name`` (a family or a full id) and why."""

    name: str
    family: str
    reason: str
    from_library: bool
    """It is the library's own audio model (an ``embed`` without ``--model`` kept it)."""


def choice_without_model(ctx: "AppContext", **openl3_policy: Any) -> ModelChoice:
    """The model of an ``embed`` given no model: the library's audio model
    (:func:`library_model_id`) when it has one — new tracks are embedded as the
    others were, keeping the library's vectors, its audio map and its graph model's new-track
    vectors (a model of another audio model cannot use them) — else the default preference
    (:func:`choose_default_model`). Only ``--model`` switches the library to another model.
    OpenL3 weights or a variant given to a library of another family ask for OpenL3 as before
    (the default choice, where they make OpenL3 available); an id no family of this
    installation answers to (an import) leaves the choice to the default too."""
    current = library_model_id(ctx)
    family = family_named(current) if current is not None else None
    asks_openl3 = any(v is not None for v in openl3_policy.values())
    if family is not None and not (asks_openl3 and family.name != "openl3") \
            and not _made_by_no_embedder(ctx, current):
        return ModelChoice(current, family.name, f"{current}: the library's audio model "
                           "(--model switches it)", True)
    name, reason = choose_default_model(ctx, **openl3_policy)
    return ModelChoice(name, name, reason, False)


def _made_by_no_embedder(ctx: "AppContext", model_id: str) -> bool:
    """Whether ``model_id``'s vectors are ones no embedder of its family makes (imported
    features, ``spectral-dataset``): an ``embed`` "keeping" them embedded with ``spectral``
    and said it kept the library's model. Unknown (weights absent): False, the caller says
    what is missing (or damaged: "keeping" them ran spectral, and switched the library)."""
    from musicsage.audio.embedder import embedder_identity

    try:
        identity = embedder_identity(model_id, ctx)
    except Exception as exc:  # an id the family refuses: no embedder makes it; weights
        return not isinstance(exc, MissingWeights)  # damaged: unknown, as when absent
    return identity is not None and identity[0] != model_id


def library_model_id(ctx: "AppContext") -> str | None:
    """The library's chosen audio model: :func:`current_model_id` (the model whose vectors
    the app shows) — or, when no vector of any model is left (a re-scan that found every
    file changed dropped them), the ``audio_model`` setting (the model of its last completed
    embed run, or of its first import) if it names a family: a plain ``embed`` switched such
    a library to the default preference, and only ``--model`` may. Vectors present win over
    the setting (a folder forgotten, another model's dataset imported: the setting is stale)."""
    current = current_model_id(ctx)
    if current is not None or not Path(ctx.db_path).is_file():
        return current
    from musicsage.library.db import connect
    from musicsage.library.queries import get_setting

    chosen = get_setting(connect(ctx), AUDIO_MODEL_SETTING)
    return chosen if isinstance(chosen, str) and family_named(chosen) is not None else None


def current_model_id(ctx: "AppContext") -> str | None:
    """The audio model id whose vectors the app shows (None when nothing is embedded)."""
    if not Path(ctx.db_path).is_file():
        return None
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_counts, get_setting

    conn = connect(ctx)
    counts = embedding_counts(conn)
    if not counts:
        return None
    chosen = get_setting(conn, AUDIO_MODEL_SETTING)
    if isinstance(chosen, str) and counts.get(chosen):
        return chosen

    def rank(model_id: str) -> tuple[int, int]:
        return (-counts[model_id], preference_rank(model_id))

    return min(counts, key=rank)


def embed_library(ctx: "AppContext", model: str | None = None, *, hop: float | None = None,
                  max_seconds: float | None = None, openl3_weights: str | None = None,
                  variant: str | None = None, device: str | None = None,
                  limit: int | None = None, workers: int | None = None,
                  threads: int | None = None, progress=None, cancel=None,
                  **policy: Any) -> "EmbedReport":
    """Embed the library's tracks that lack a current vector (see ``musicsage embed``)."""
    from musicsage.audio.embed_job import run_embed_job
    from musicsage.audio.openl3 import model_asked, remember_weights, weights_file

    _refuse_openl3_options_beside(model, variant, openl3_weights)
    asked = model_asked(model, variant)  # --openl3-variant: that model
    if openl3_weights is not None:
        openl3_weights = str(weights_file(openl3_weights, variant).resolve())
    common = dict(hop=hop, max_seconds=max_seconds, device=device, **policy)
    openl3_policy = dict(weights=openl3_weights, variant=variant)
    plain = model is None and asked is None
    kept = current_model_id(ctx) if plain else None  # another run may switch it meanwhile
    if plain:
        name, family, reason, from_library = choice_without_model(ctx, **openl3_policy)
    else:
        name = model or asked
        family, from_library = family_of(name), False
        reason = f"{name}: requested" + (f" (--openl3-variant {variant})" if asked else "")
    if hop is not None:
        _refuse_hop_without_effect(family, None if model is not None else reason)
    extra = openl3_policy if family == "openl3" else {}
    if from_library:  # a default choice never downloads: nor does keeping the library's
        check_weights_on_disk(ctx, name, family, extra)
    common["hop"], common["max_seconds"] = _budget(ctx, family, hop, max_seconds)
    # A weights file given now is loaded (checked) and remembered, even with nothing to do.
    done = None if openl3_weights is not None else \
        _nothing_to_do(ctx, name, family, device, limit, reason, {**common, **extra})
    if done is not None:
        _remember_budget(ctx, family, common["hop"], common["max_seconds"])
        return done
    try:
        embedder = get_embedder(name, ctx, progress=progress, cancel=cancel, **common, **extra)
    except MissingWeights as exc:  # not "a plain embed uses …": it may choose this one again
        library_model = name if from_library else library_model_id(ctx)
        raise MissingWeights(f"{exc}; {instead(ctx, name, family, library_model)}") from None
    _remember_budget(ctx, family, common["hop"], common["max_seconds"])
    if family == "openl3" and openl3_weights is not None:
        remember_weights(ctx, embedder.variant, openl3_weights)  # it loaded: remember it
    rep = run_embed_job(ctx, embedder, limit=limit, workers=workers, cores=threads,
                        progress=progress, cancel=cancel, reason=reason, stale_note=lambda ids:
                        _reanalysis_note(ctx, embedder, ids, common["hop"], common["max_seconds"]))
    settle_library_model(ctx, embedder, rep, limit, current_model_id(ctx), plain=plain,
                         kept=kept)
    return rep


def _refuse_openl3_options_beside(model: str | None, variant: str | None,
                                  weights: str | None) -> None:
    """``--openl3-variant``/``--openl3-weights`` beside another family's ``--model``: one
    line, before any work (they were ignored: ``--model spectral`` ran as if not given)."""
    from musicsage.errors import MusicsageError

    if model is not None and family_of(model) != "openl3" and (variant, weights) != (None, None):
        given = "--openl3-variant" if variant is not None else "--openl3-weights"
        raise MusicsageError(f"{given} has no effect with --model {model}: leave it out, "
                             "or pass --model openl3")


def _refuse_hop_without_effect(family: str, chosen_because: str | None) -> None:
    """``--hop`` for a model it has no effect on (spectral): one line, before any work. Run
    with the value dropped, the user believed it mattered (and the library kept it as its
    setting); a run that chose the model itself says why it chose it."""
    from musicsage.errors import MusicsageError

    why = why_no_hop(family)
    if why is not None:
        chose = f" (this embed uses {chosen_because})" if chosen_because else ""
        raise MusicsageError(f"--hop has no effect with the {family} audio model: {why}; "
                             f"leave --hop out{chose}")


def _nothing_to_do(ctx: "AppContext", name: str, family: str, device: str | None,
                   limit: int | None, reason: str, policy: dict) -> "EmbedReport | None":
    """The report of a run with nothing to embed, found without building the embedder (no
    torch import, no weights loaded: a re-run on an analysed library answers at once), or
    None when there is work, or when the model cannot say its identity cheaply. A GPU asked
    for is still checked (a typo is never silently accepted); ``auto`` is reported as such.
    Its model becomes the library's as a run's does (:func:`settle_library_model`)."""
    from musicsage.audio.device import resolve_device
    from musicsage.audio.embed_job import EmbedReport
    from musicsage.audio.embedder import embedder_identity
    from musicsage.library.damaged_vectors import damaged_vector_tracks
    from musicsage.library.db import connect
    from musicsage.library.queries import tracks_needing_embedding

    try:
        identity = embedder_identity(name, ctx, **policy)
    except Exception:  # a policy the embedder itself will refuse, with its own message
        return None
    if identity is None or (limit is not None and limit <= 0):
        return None
    model_id, version = identity
    conn = connect(ctx)
    if tracks_needing_embedding(conn, model_id, version) or \
            damaged_vector_tracks(conn, model_id, version):
        return None
    requested = (device or "auto").strip().lower()
    if requested != "auto":
        requested = resolve_device(requested, uses_torch=family_named(family).uses_torch)
    rep = EmbedReport(model_id, version, requested, total=0, reason=reason)
    settle_library_model(ctx, rep, rep, limit, current_model_id(ctx))
    return rep


def _reanalysis_note(ctx: "AppContext", embedder, track_ids: list[int], hop: float | None,
                     max_seconds: float | None) -> str:
    """Why a run redoes vectors the library has ("" when it redoes none): vectors of the
    model made with other analysis settings (another ``--max-seconds``, an import from a
    library analysed otherwise) are stale, and an hour of re-analysis needs its reason.
    Only those of ``track_ids``, the tracks this run analyses, are counted: with ``--limit 1``
    the note said "7 vectors … re-analysing" above "embedded 1 of 1 track"."""
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_versions
    from musicsage.text import counted, noun

    current = embedder.model_version
    versions = embedding_versions(connect(ctx), embedder.model_id)
    stale = sum(versions.get(track_id, current) != current for track_id in track_ids)
    if not stale:
        return ""
    budget = {"hop": hop, "max_seconds": max_seconds}
    return (f"{counted(stale, 'vector')} of {embedder.model_id} {noun(stale, 'was', 'were')} "
            f"made with other analysis settings than this run's ({budget_words(budget)}): "
            "re-analysing")


def budget_words(budget: dict) -> str:
    """``6 s per track, hop 1 s``; ``the model's defaults`` for an empty budget."""
    words = ([f"{budget['max_seconds']:g} s per track"] if budget.get("max_seconds") else []) \
        + ([f"hop {budget['hop']:g} s"] if budget.get("hop") else [])
    return ", ".join(words) or "the model's defaults"


def analysis_behind(ctx: "AppContext", model_id: str, version: str) -> dict | None:
    """The library's analysis settings (hop, max_seconds) for ``model_id`` when they are the
    ones its ``version`` vectors were made with (what ``export`` writes into features.json);
    None when not stored, or when they would make vectors of another version (the setting
    changed since, or this installation cannot tell)."""
    from musicsage.audio.embedder import embedder_identity

    try:
        budget = _stored_budget(ctx, family_of(model_id))
        if not budget:
            return None
        identity = embedder_identity(model_id, ctx, **budget)
    except Exception:  # an unknown model, a setting the embedder refuses: nothing to vouch for
        return None
    return dict(budget) if identity == (model_id, version) else None


def adopt_analysis(ctx: "AppContext", model_id: str, analysis: dict) -> str | None:
    """After an import of ``model_id`` vectors made with ``analysis`` (features.json): make it
    the library's setting when the library has none for the family and holds no vectors of
    it made otherwise, so that ``embed`` counts the imported vectors as current instead of
    redoing them all. A library with settings of its own keeps them (then re-analysing the
    imported tracks is what it asks for): the note returned says so."""
    from musicsage.audio.embedder import embedder_identity
    from musicsage.library.db import connect
    from musicsage.library.queries import embedding_version_counts

    family = family_of(model_id)
    stored = _budgets(ctx)
    own = stored.get(family) if isinstance(stored.get(family), dict) else {}
    if own == analysis:
        return None
    if own:
        return (f"this library analyses {family} tracks with its own settings "
                f"({budget_words(own)}), not the export's ({budget_words(analysis)}): "
                "`musicsage embed` will re-analyse the imported tracks")
    versions = {(m, v) for m, v in embedding_version_counts(connect(ctx))
                if family_named(m) is family_named(family)}
    if len(versions) != 1:
        return (f"this library holds {family} vectors made with other settings than the "
                f"export's ({budget_words(analysis)}): `musicsage embed` will re-analyse the "
                "imported tracks")
    identity = embedder_identity(model_id, ctx, **analysis)
    if identity is None or identity == next(iter(versions)):
        _set_setting(ctx, BUDGET_SETTING, {**stored, family: dict(analysis)})
    return None


def current_identity(ctx: "AppContext", model_id: str) -> tuple[str, str] | None:
    """The (model id, version) ``embed`` makes now for ``model_id``, with the budget it runs
    with (:func:`_budget`); None where that cannot be told (weights absent, an unknown id)."""
    from musicsage.audio.embedder import embedder_identity

    try:
        hop, max_seconds = _budget(ctx, family_of(model_id), None, None)
        return embedder_identity(model_id, ctx, hop=hop, max_seconds=max_seconds)
    except Exception:  # an id no embedder makes, a setting it refuses: the flags must do
        return None


def pending_analysis(ctx: "AppContext") -> tuple[int, int] | None:
    """``(pending, failed)``: how many tracks ``embed`` would analyse for the library's audio
    model, and how many of them failed their last analysis (tried again by every run); or
    None when that cannot be told without building the model (nothing embedded yet, weights
    absent, imported features of no embedder)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import (count_failed_needing_embedding,
                                           count_tracks_needing_embedding)

    model_id = current_model_id(ctx)
    if model_id is None:
        return None
    identity = current_identity(ctx, model_id)
    if identity is None or identity[0] != model_id:
        return None
    conn = connect(ctx)
    return (count_tracks_needing_embedding(conn, *identity)[0],
            count_failed_needing_embedding(conn, *identity))


def _budget(ctx: "AppContext", family: str, hop: float | None,
            max_seconds: float | None) -> tuple[float | None, float | None]:
    """How much of each track a run analyses: the values given, else those the library was
    last analysed with. The budget is part of a vector's version: a plain ``embed`` after
    ``embed --max-seconds 30`` (or on the demo's excerpts) redid every track. A hop for a model
    it has no effect on (:func:`why_no_hop`) is never taken from the library."""
    mine = {k: v for k, v in _stored_budget(ctx, family).items() if _usable(v)}
    return (hop if hop is not None else mine.get("hop"),
            max_seconds_as_stored(max_seconds, mine.get("max_seconds")))


def _stored_budget(ctx: "AppContext", family: str) -> dict:
    """The budget the library stores for ``family`` ({} when none), less a hop for a family
    it has no effect on (:func:`why_no_hop`), which earlier versions stored."""
    stored = _budgets(ctx).get(family)
    if not isinstance(stored, dict):
        stored = _budget_of_vectors(ctx, family)
    no_hop = why_no_hop(family) is not None
    return {k: v for k, v in stored.items() if not (no_hop and k == "hop")}


def _budget_of_vectors(ctx: "AppContext", family: str) -> dict:
    """With none stored, the budget the version most ``family`` vectors carry was made with
    ({} for the defaults, or when it cannot be told): versions before efd8145 stored none,
    so a library they analysed in excerpts (the old demo) read as unembedded and one
    ``embed`` redid it all. A budget told is stored (not on a read-only library); the defaults
    only in this process: a window takes any write for another program's, and reloads."""
    from musicsage.errors import MusicsageError
    from musicsage.library.db import connect
    from musicsage.library.queries import shown_version

    model_id = current_model_id(ctx)
    told = (str(ctx.data_dir), str(model_id))
    if model_id is None or family_named(model_id) is not family_named(family) \
            or told in _DEFAULTS_TOLD:
        return {}
    version = shown_version(connect(ctx), model_id)
    found = _budget_making(ctx, model_id, version) if version else None
    if found:
        with suppress(MusicsageError):
            _set_setting(ctx, BUDGET_SETTING, {**_budgets(ctx), family: found})
    elif found is not None:
        _DEFAULTS_TOLD.add(told)
    return found or {}


def _budget_making(ctx: "AppContext", model_id: str, version: str) -> dict | None:
    """The fewest of the ``max``/``hop`` values written in ``version`` that make ``model_id``'s
    embedder give it ({} when the defaults do or none do, None while it cannot tell)."""
    from musicsage.audio.embedder import embedder_identity

    def makes(budget: dict) -> bool | None:
        try:
            made = embedder_identity(model_id, ctx, **budget)
        except Exception:  # a value the embedder refuses: not this one
            return False
        return None if made is None else made == (model_id, version)  # None: weights absent

    values = {}
    for key, _, text in (part.partition("=") for part in version.split(";")):
        name = {"max": "max_seconds", "hop": "hop"}.get(key)
        if name and text.removesuffix("s").replace(".", "", 1).isdecimal():  # not "²"
            values[name] = float(text.removesuffix("s"))
    if (default := makes({})) is None or default or not makes(values):
        return None if default is None else {}  # None: told once the weights are on disk
    return {k: v for k, v in values.items()
            if not makes({o: w for o, w in values.items() if o != k})}


def _usable(value: object) -> bool:
    """A stored budget value a run can take: a positive number. An older ``--hop 0`` (then
    "the default"), refused now, is forgotten instead of refusing every plain ``embed``."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and 0 < value < float("inf"))


def _remember_budget(ctx: "AppContext", family: str, hop: float | None,
                     max_seconds: float | None) -> None:
    """Keep the budget a run accepted (see :func:`_budget`)."""
    budget = {k: v for k, v in (("hop", hop), ("max_seconds", max_seconds)) if v is not None}
    stored = _budgets(ctx)
    if budget and stored.get(family) != budget:
        _set_setting(ctx, BUDGET_SETTING, {**stored, family: budget})


def _budgets(ctx: "AppContext") -> dict:
    """The stored budgets per family ({} when none, or when the setting is not a mapping)."""
    from musicsage.library.db import connect
    from musicsage.library.queries import get_setting

    stored = get_setting(connect(ctx), BUDGET_SETTING)
    return stored if isinstance(stored, dict) else {}


def _set_setting(ctx: "AppContext", key: str, value: Any) -> None:
    from musicsage.library.db import connect
    from musicsage.library.queries import set_setting

    set_setting(connect(ctx), key, value)
