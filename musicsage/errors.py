"""One exception root, so front ends can tell expected failures from bugs.

A :class:`MusicsageError` carries a message meant for the user (the CLI prints it on one line
and exits non-zero; the GUI shows it in its notification area). Anything else is a bug and
keeps its traceback.
"""


#: How to make what a message says is missing, in words for both front ends: these notes
#: reach the window (the Suggestions tab, the track lists) as well as the command line, where
#: "run: musicsage train" told a window's user to open a terminal.
TRAIN_HINT = "Retrain in the window, or musicsage train"
EMBED_HINT = "Compute embeddings in the window, or musicsage embed"
RESCAN_HINT = "Rescan in the window, or `musicsage scan`"
AUDIO_ENDS_EARLY = "audio ends early (truncated or damaged file?)"
"""What the scan and the embedder say of a file whose audio stops before its header's length."""

#: libsndfile's message for audio frames it cannot decode (a damaged MP3), which says nothing
#: to a user
_UNDECODABLE = "Unspecified internal error"


def decoder_reason(text: str) -> str:
    """A decoder's message as a user can read it: libsndfile's "Unspecified internal error."
    becomes "damaged audio data?"; anything else is kept."""
    return "damaged audio data?" if text.startswith(_UNDECODABLE) else text


def first_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message, for a one-line report; its type's name when the
    message is empty (``str(exc)`` of ``RuntimeError()`` is '': indexing its lines fails)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def named_first_line(exc: BaseException) -> str:
    """``Type: first line`` for a report where the kind of failure matters (an unexpected
    exception); just ``Type`` when the message is empty, so the name is never said twice."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


class MusicsageError(Exception):
    """An expected failure with a message a user can act on."""


class Cancelled(MusicsageError):
    """Long work stopped because the user asked it to."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)
