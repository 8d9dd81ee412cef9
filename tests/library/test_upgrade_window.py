"""The window opened on a library an older musicsage made says on its status line, once,
that the database was upgraded and where the old one is kept: the older version cannot open
it any more, and nothing said so."""

from __future__ import annotations

import os

import pytest
from test_upgrade_schema import old_library

from musicsage.library.schema import SCHEMA_VERSION

pytest.importorskip("pytestqt")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_the_window_says_the_upgrade_once(qtbot, ctx, tmp_path):
    from PySide6.QtCore import QSettings

    from musicsage.gui.main_window import MainWindow

    old_library(ctx.db_path, 1)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(ctx, settings=settings, show_dialogs=False, probe_audio=False)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    copy = f"{ctx.db_path}.schema-1.bak"
    try:
        qtbot.waitUntil(lambda: w.app.library.snapshot is not None and not w.workers.busy,
                        timeout=60_000)
        said = [t for _level, t in w.app.notifications if "Upgraded the library" in t]
        assert said == [f"Upgraded the library database from schema 1 to {SCHEMA_VERSION}; the old one is "
                        f"kept as {copy}"]
        if os.environ.get("MUSICSAGE_TEST_SHOTS"):
            w.grab().save(os.path.join(os.environ["MUSICSAGE_TEST_SHOTS"], "upgraded.png"))
        w.app.library.reload()
        qtbot.waitUntil(lambda: not w.workers.busy, timeout=60_000)
        assert len([t for _level, t in w.app.notifications if "Upgraded the library" in t]) == 1
    finally:
        w.close()
