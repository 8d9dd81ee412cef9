"""The queue's one line when it stops because the audio output failed (:mod:`.queue`).

The output's own line ends with what to do ("cannot open the audio output at 44100 Hz (…):
connect a sound device or close the program holding it, then press Play"; "audio output lost
(…): reconnect it or switch the sound output, then press Play"). The queue wrapped that whole
line in brackets and added its own advice after it: two pieces of advice, the first hidden in
brackets. Its advice is said once here, ending in what brings the queue back: Play loads only
the track it had again, and the queue, stopped, does not go on after it; a track played from
the queue does. The output's parts come from playback itself (its line is an
:class:`~musicsage.playback.output.OutputFailure`), not from parsing its English words: a
reworded line would silently have brought the two pieces of advice back.
"""

from __future__ import annotations


def output_failed_text(reason: str) -> str:
    """The one line said when the queue stops because the audio output failed (``reason``:
    the player's line): what failed, and one piece of advice — the output's, if its line
    carries one (``what`` and ``advice``), else the queue's own."""
    what, advice = getattr(reason, "what", ""), getattr(reason, "advice", "")
    if what and advice:
        return (f"Playback stopped: {what}. The queue is kept: "
                f"{advice}, then play a track from it.")
    reason = reason.strip().rstrip(".")
    return ("Playback stopped: the audio output failed"
            + (f" ({reason})" if reason else "")
            + ". The queue is kept: play a track from it once the sound works again.")
