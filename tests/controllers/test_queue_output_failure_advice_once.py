"""The queue's line when the audio output failed gives one piece of advice: the output's own,
ending in playing a track from the queue (Play alone would play the one track it had again,
the queue staying stopped), else the queue's own when the output's line gives none."""

from __future__ import annotations

import pytest

from musicsage.controllers.queue import output_failed_text
from musicsage.playback.claims import output_lost_message


def test_a_lost_output_keeps_its_advice_said_once():
    reason = output_lost_message("audio output lost", "the stream stopped")
    assert output_failed_text(reason) == (
        "Playback stopped: audio output lost (the stream stopped). The queue is kept: "
        "reconnect it or switch the sound output, then play a track from it.")


@pytest.mark.parametrize("reason", ["cannot open the audio output at 44100 Hz: Error -1", ""])
def test_a_reason_without_advice_gets_the_queues(reason):
    text = output_failed_text(reason)
    assert text.startswith("Playback stopped: the audio output failed")
    assert text.endswith("The queue is kept: play a track from it once the sound works again.")
    assert text.count("The queue is kept") == 1 and "press Play" not in text
