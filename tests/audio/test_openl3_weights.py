"""The OpenL3 weights manager against a local HTTP server: good, corrupt, truncated, 404, offline."""

from __future__ import annotations

import gzip
import socket

import numpy as np
import pytest
import torch
from audio_keras_files import keras_layers, write_keras_h5
from local_http_support import QuietHandler, start

from musicsage.audio import openl3
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.openl3 import variants
from musicsage.audio.openl3.weights import (DownloadError, download_weights, git_blob_id,
                                            load_state_dict)

VARIANT = variants.parse_variant("mel256_music_512")
FILE = VARIANT.weights_stem + ".h5.gz"


@pytest.fixture(scope="module")
def weights_gz(tmp_path_factory) -> bytes:
    d = tmp_path_factory.mktemp("w")
    write_keras_h5(d / "w.h5", keras_layers(np.random.default_rng(7)))
    return gzip.compress((d / "w.h5").read_bytes())


@pytest.fixture
def server(weights_gz, monkeypatch):
    """127.0.0.1 server: /good/, /corrupt/, /truncated/ serve FILE; anything else is a 404."""
    monkeypatch.setitem(variants.GIT_BLOB_IDS, ("mel256", "music"), git_blob_id(weights_gz))
    hits: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            mode, _, name = self.path.strip("/").partition("/")
            if name != FILE or mode not in ("good", "corrupt", "truncated"):
                self.send_error(404, "Not Found")
                return
            body = weights_gz
            if mode == "corrupt":
                body = bytearray(weights_gz)
                body[len(body) // 2] ^= 0xFF
                body = bytes(body)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode == "truncated":
                self.wfile.write(body[:len(body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(body)

    with start(Handler) as running:
        yield running.base, hits


def test_git_blob_id_matches_git_hash_object():
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_good_download_is_verified_cached_and_converted_once(server, ctx, tmp_path, weights_gz):
    base, hits = server
    wdir = tmp_path / "models"
    seen = []
    path = download_weights(VARIANT, wdir, base=f"{base}/good/", progress=seen.append)
    assert path == wdir / FILE and path.read_bytes() == weights_gz
    assert sorted(p.name for p in wdir.iterdir()) == [FILE]  # no .part left
    assert seen[-1].done == seen[-1].total == len(weights_gz)
    assert all(a.done <= b.done for a, b in zip(seen, seen[1:]))

    emb = openl3.create_embedder(ctx, weights_dir=wdir, url_base=f"{base}/nothing-here/",
                                 max_seconds=2, n_excerpts=1)  # cached: no request made
    assert len(hits) == 1 and not emb.random_weights
    pt = wdir / (VARIANT.weights_stem + ".pt")
    assert pt.is_file()
    stamp = pt.stat().st_mtime_ns
    openl3.create_embedder(ctx, weights_dir=wdir)
    assert pt.stat().st_mtime_ns == stamp  # converted once
    assert openl3.weights_available(ctx, weights_dir=str(wdir))


def test_first_use_downloads_when_allowed(server, ctx, tmp_path):
    base, hits = server
    wdir = tmp_path / "models"
    assert not openl3.weights_available(ctx, weights_dir=str(wdir))
    emb = openl3.create_embedder(ctx, weights_dir=wdir, url_base=f"{base}/good/")
    assert hits == [f"/good/{FILE}"] and emb.model_id == "openl3-mel256-music-512"
    with pytest.raises(MissingWeights, match="--openl3-weights"):
        openl3.create_embedder(ctx, weights_dir=tmp_path / "empty", download=False)


@pytest.mark.parametrize("mode,match", [("corrupt", "does not verify"),
                                        ("truncated", "was cut short"),
                                        ("missing", "HTTP 404")])
def test_bad_downloads_are_never_cached(server, tmp_path, mode, match):
    base, _ = server
    wdir = tmp_path / "models"
    with pytest.raises(DownloadError, match=match):
        download_weights(VARIANT, wdir, base=f"{base}/{mode}/")
    assert list(wdir.iterdir()) == []


def test_no_network_is_one_clear_message(ctx, tmp_path, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", f"http://127.0.0.1:{port}/")
    with pytest.raises(MissingWeights) as err:
        openl3.create_embedder(ctx, weights_dir=tmp_path / "models")
    text = str(err.value)
    assert "\n" not in text and f"127.0.0.1:{port}" in text and "--openl3-weights" in text
    assert not any((tmp_path / "models").iterdir())


def test_cli_without_weights_or_network_exits_with_one_line(ctx, tmp_path, monkeypatch,
                                                            capsys, no_checkout_models):
    from musicsage import cli
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    connect(ctx)  # an empty library: without one, embed is refused for that
    data_dir = ctx.data_dir
    monkeypatch.setattr(AppContext, "weights_dir", property(lambda self: tmp_path / "models"))
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", "http://127.0.0.1:9/")  # discard port
    code = cli.main(["embed", "--data-dir", str(data_dir), "--model", "openl3"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1
    assert "--openl3-weights" in err and "--model spectral" in err and "Traceback" not in err


def test_local_weights_file_and_reconversion_on_change(ctx, tmp_path):
    user_file = tmp_path / "mine.h5"
    write_keras_h5(user_file, keras_layers(np.random.default_rng(11)))
    wdir = tmp_path / "models"
    first = load_state_dict(VARIANT, user_file, wdir)
    write_keras_h5(user_file, keras_layers(np.random.default_rng(12)))  # the source changed
    second = load_state_dict(VARIANT, user_file, wdir)
    assert not torch.equal(first["convs.0.weight"], second["convs.0.weight"])
    assert len(list(wdir.glob("*.pt"))) == 1
    with pytest.raises(MissingWeights, match="not found"):
        openl3.create_embedder(ctx, weights=tmp_path / "typo.h5", weights_dir=wdir)
