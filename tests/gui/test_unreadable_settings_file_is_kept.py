"""A settings file Qt cannot read (garbage bytes, a line it does not parse) is kept aside.

Qt reads what it can of a damaged INI file and, at the window's first save, writes the file
anew from that: the file as it was was lost, while the window said "not saved: … is damaged;
move it aside" (too late: it had been written over). Now the window opens with what reads, a
byte-for-byte copy is kept as ``NAME.unreadable`` before anything is written, one warning says
where, and the file saved at close reads cleanly. A file Qt reads without complaint but
writes back changed (bytes that are not UTF-8 text, a NUL) is kept the same way.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QSettings

GARBAGE = bytes(range(256)) * 3 + b"\n[window\n\x00\xff\xfe = [[[\n"


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
            and r.name == "musicsage.gui.window_settings"]


def test_a_garbage_settings_file_is_kept_byte_for_byte_and_the_window_opens(
        make_window, ctx, tmp_path, caplog):
    path = tmp_path / "settings.ini"
    path.write_bytes(GARBAGE)
    caplog.set_level(logging.WARNING)
    w = make_window(ctx)
    kept = tmp_path / "settings.ini.unreadable"
    assert kept.read_bytes() == GARBAGE
    said = _warnings(caplog)
    assert len(said) == 1 and str(kept) in said[0] and "\n" not in said[0]
    w.close()
    assert _warnings(caplog) == said  # no "not saved … move it aside" at close: it was saved
    again = QSettings(str(path), QSettings.Format.IniFormat)
    assert again.contains("window/geometry")
    assert again.status() == QSettings.Status.NoError
    assert kept.read_bytes() == GARBAGE


def test_what_reads_in_a_partly_damaged_file_is_kept(make_window, ctx, tmp_path, caplog):
    path = tmp_path / "settings.ini"
    path.write_bytes(b"[view]\nk=17\nplay_on_select=false\nthis line is no setting\n")
    caplog.set_level(logging.WARNING)
    w = make_window(ctx)
    assert w.neighbours.k_spin.value() == 17
    assert not w.actions_.play_on_select.isChecked()
    assert (tmp_path / "settings.ini.unreadable").read_bytes().endswith(b"no setting\n")


def test_an_earlier_copy_is_never_written_over(make_window, ctx, tmp_path):
    path = tmp_path / "settings.ini"
    path.write_bytes(GARBAGE)
    (tmp_path / "settings.ini.unreadable").write_bytes(b"an older copy, not this one")
    make_window(ctx)
    assert (tmp_path / "settings.ini.unreadable").read_bytes() == b"an older copy, not this one"
    assert (tmp_path / "settings.ini.unreadable-2").read_bytes() == GARBAGE


def test_a_readable_settings_file_is_not_copied(make_window, ctx, tmp_path, caplog):
    (tmp_path / "settings.ini").write_bytes(b"[view]\nk=12\n")
    caplog.set_level(logging.WARNING)
    w = make_window(ctx)
    w.close()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".unreadable")]
    assert _warnings(caplog) == []


def test_with_no_copy_kept_the_damaged_file_is_left_as_it_is(make_window, ctx, tmp_path,
                                                             caplog, monkeypatch):
    import errno

    from musicsage.gui import window_settings

    def no_room(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(window_settings.shutil, "copy2", no_room)
    path = tmp_path / "settings.ini"
    path.write_bytes(GARBAGE)
    caplog.set_level(logging.WARNING)
    w = make_window(ctx)
    w.set_embed_model("spectral")  # a choice in the Audio model menu writes nothing either
    w.settings.sync()
    w.close()
    assert path.read_bytes() == GARBAGE
    said = _warnings(caplog)
    assert len(said) == 1 and "No space left on device" in said[0] and "not saved" in said[0]


NOT_UTF8 = b"[window]\n\x00\xff garbage ]]] =\n"
"""Bytes Qt reads without a FormatError and writes back changed (``%00%UFFFD``…)."""


def test_a_file_of_bytes_qt_reads_but_rewrites_is_kept(make_window, ctx, tmp_path, caplog):
    path = tmp_path / "settings.ini"
    path.write_bytes(NOT_UTF8)
    caplog.set_level(logging.WARNING)
    w = make_window(ctx)
    w.close()
    kept = tmp_path / "settings.ini.unreadable"
    assert kept.read_bytes() == NOT_UTF8
    said = _warnings(caplog)
    assert len(said) == 1 and str(kept) in said[0] and "\n" not in said[0]


def test_a_nul_byte_in_valid_utf8_keeps_a_copy(make_window, ctx, tmp_path):
    text = "[view]\nk=12\ntitle=Café\x00\n".encode()
    (tmp_path / "settings.ini").write_bytes(text)
    make_window(ctx).close()
    assert (tmp_path / "settings.ini.unreadable").read_bytes() == text


def test_utf8_text_beyond_ascii_is_no_damage(make_window, ctx, tmp_path, caplog):
    (tmp_path / "settings.ini").write_bytes("[view]\nk=12\ncolour_choice=Café ☕\n".encode())
    caplog.set_level(logging.WARNING)
    make_window(ctx).close()
    assert not [p for p in os.listdir(tmp_path) if ".unreadable" in p]
    assert _warnings(caplog) == []
