"""A weights download into a folder that cannot take it (a full disk, a quota).

OpenL3's download ended ``embed`` in a bare "[Errno 28] No space left on device" naming no
folder; the MusiCNN wheel's said "could not download … from PyPI: run pip download … where
PyPI is reachable" — PyPI was reachable. Each now says what it could not write where, and
leaves no part of the file. A child process stands in for the full disk with a file size
limit (the writes fail with EFBIG, as with ENOSPC, partway through).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, resource, signal, sys
from pathlib import Path
from local_http_support import QuietHandler, start
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights

class Serve(QuietHandler):
    def do_GET(self):
        body = (json.dumps({"urls": [{"filename": W.WHEEL_NAME, "url": base + "/wheel"}]})
                .encode() if self.path.endswith("/json") else os.urandom(1 << 20))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

base = start(Serve).base
folder = Path(sys.argv[2])
folder.mkdir()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, resource.RLIM_INFINITY))
try:
    if sys.argv[1] == "openl3":
        download_weights(parse_variant(None), folder, base=base + "/")
    else:
        W.download_wheel(folder, pypi_url=base + "/pypi")
except MissingWeights as exc:
    print("SAID", exc, flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE, SIGXFSZ")
@pytest.mark.parametrize("model,said", [
    ("openl3", "cannot write {folder}/openl3_audio_mel256_music-v0_4_0.h5.gz (File too "
               "large): make room in {folder} and run it again, or pass --openl3-weights"),
    ("musicnn", "cannot write the MusiCNN checkpoints into {folder} (File too large): make "
                "room there, then run it again")])
def test_a_download_the_disk_cannot_hold_names_the_folder(tmp_path, model, said):
    folder = tmp_path / "my models"
    proc = subprocess.run([sys.executable, "-c", CHILD, model, str(folder)], cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                              [str(REPO), str(REPO / "tests" / "audio")])), capture_output=True,
                          text=True, timeout=300)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("SAID ")]
    assert len(lines) == 1, (proc.returncode, proc.stdout[-1000:], proc.stderr[-2000:])
    assert lines[0].startswith("SAID " + said.format(folder=folder)), lines[0]
    assert list(folder.iterdir()) == []  # no part of the download kept
