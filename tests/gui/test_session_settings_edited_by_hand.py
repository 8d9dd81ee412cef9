"""A session in the settings file that was edited by hand opens the window without it.

The selected track is kept as text in the ini file; one that ``str.isdigit`` calls a digit but
``int`` does not read ("²", "³") raised ValueError while the window was being built: it did not
open at all until the settings file was deleted.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from musicsage.gui.window_settings import saved_session, session_group


@pytest.mark.parametrize("track,kept", [("²", None), ("1²", None), ("seven", None),
                                        ("", None), ("42", 42)])
def test_a_track_the_file_does_not_hold_as_a_number_is_no_track(tmp_path, track, kept):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    group = session_group(tmp_path / "library")
    settings.setValue(f"{group}/training_dock", "true")
    settings.setValue(f"{group}/track", track)
    session = saved_session(settings, tmp_path / "library")
    assert session.track == kept and session.dock
