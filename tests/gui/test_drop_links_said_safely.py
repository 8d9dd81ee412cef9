"""What a drop says of the links in it (review of the drop's link note):

- a link carrying a password (``sftp://bob:secret@host/…``) was shown with it, on the status
  line and its tooltip for seconds: shown as Qt displays it, without the password;
- a comment line of a ``text/uri-list`` (RFC 2483) was counted as a link left out, a false
  warning on a file drop that worked;
- Qt reads ``file:song.wav`` as a local file, relative: it is not found, as before, not a link;
- a link that is no web link (a share, the trash) was told to be saved first: it is told what
  musicsage reads instead.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QUrl
from test_drop_of_files_and_web_links import _drag_and_drop, _wav

from gui_support import settle


def _said_by_a_drop(qtbot, make_window, library, monkeypatch, data: QMimeData) -> list:
    w = make_window(library)
    settle(qtbot, w)
    monkeypatch.setattr(w.app.library, "scan", lambda *a, **k: None)
    w.app.notifications.clear()
    _drag_and_drop(w, data)
    return [t for _level, t in w.app.notifications]


def test_a_links_password_is_never_shown(qtbot, make_window, library, monkeypatch):
    data = QMimeData()
    data.setUrls([QUrl("sftp://bob:hunter2@host/music/c.ogg")])

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert said == ["1 link was not added (musicsage reads only files and folders it can "
                    "open by their path): sftp://bob@host/music/c.ogg"]


def test_a_comment_in_a_uri_list_is_no_link(qtbot, make_window, library, monkeypatch,
                                            tmp_path):
    song = tmp_path / "new.wav"
    _wav(song)
    data = QMimeData()
    uri = QUrl.fromLocalFile(str(song)).toString()
    data.setData("text/uri-list", f"# dragged from somewhere\r\n{uri}\r\n".encode())

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert not any("link" in line for line in said), said


def test_a_relative_file_url_is_not_found_as_before(qtbot, make_window, library,
                                                    monkeypatch):
    data = QMimeData()
    data.setUrls([QUrl("file:song.wav")])

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert said == ["Not found (moved or deleted?): song.wav"]


def test_a_relative_file_url_with_a_colon_is_not_found_either(qtbot, make_window, library,
                                                              monkeypatch):
    data = QMimeData()
    data.setUrls([QUrl("file:a:b.wav")])  # a scheme-like start without // is no link

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert said == ["Not found (moved or deleted?): a:b.wav"]


def test_a_web_link_named_beside_a_share_keeps_its_advice(qtbot, make_window, library,
                                                          monkeypatch):
    data = QMimeData()
    data.setUrls([QUrl("https://ex.com/a.mp3"), QUrl("smb://host/share/b.mp3")])

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert said == ["2 links were not added (musicsage plays files on this computer: save "
                    "them first): https://ex.com/a.mp3 and 1 more"]


def test_a_link_without_slashes_is_a_link_cut_short(qtbot, make_window, library, monkeypatch):
    """A magnet or mailto link has no ``//``: it was taken for a file not found, shown whole."""
    magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Album+FLAC"
    data = QMimeData()
    data.setUrls([QUrl(magnet)])

    said = _said_by_a_drop(qtbot, make_window, library, monkeypatch, data)

    assert len(said) == 1 and said[0].startswith("1 link was not added (musicsage reads only ")
    assert said[0].endswith("…") and magnet not in said[0]
