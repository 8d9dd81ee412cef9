"""The embed pipeline at library scale: same vectors as the plain sequential path, one
single-threaded inference lane per core, devices, and a run with nothing to do."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from musicsage.audio import decode, threads
from musicsage.audio.device import DeviceUnavailable, resolve_device
from musicsage.audio.embed_job import run_embed_job
from musicsage.audio.embedder import AudioEmbedder
from musicsage.library.db import connect
from musicsage.library.queries import get_embeddings, store_embedding

REPO = Path(__file__).resolve().parents[2]
WHEEL = REPO / "models" / "musicnn-0.1.0-py3-none-any.whl"
SR = 44100


def stereo_music(seconds: float, seed: int) -> np.ndarray:
    """44.1 kHz stereo with sections (so excerpts differ): chords, a pulse, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    section = (t // 20).astype(int)
    freqs = rng.uniform(110, 1800, (int(section.max()) + 1, 3))
    tone = sum(np.sin(2 * np.pi * freqs[section, k] * t) for k in range(3)) / 3
    pulse = 0.6 + 0.4 * np.sign(np.sin(2 * np.pi * rng.uniform(1, 3) * t))
    left = 0.4 * tone * pulse + 0.02 * rng.standard_normal(t.size)
    right = 0.8 * np.roll(left, 30) + 0.02 * rng.standard_normal(t.size)
    return np.stack([left, right], axis=1).astype(np.float32)


def write_m4a(path: Path, audio: np.ndarray) -> None:
    import av

    planar = np.ascontiguousarray(audio.T)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=SR, layout="stereo")
        for start in range(0, planar.shape[1], SR):
            frame = av.AudioFrame.from_ndarray(planar[:, start:start + SR], format="fltp",
                                               layout="stereo")
            frame.sample_rate = SR
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def add_tracks(ctx, paths) -> list[int]:
    conn = connect(ctx)
    return [conn.execute("INSERT INTO tracks(path, title) VALUES (?, ?)",
                         (str(p), Path(p).stem)).lastrowid for p in paths]


# --- the reference: the straightforward path the pipeline replaced ------------------------------


def span_mono(path: Path, start: int, n: int) -> np.ndarray:
    """Samples [start, start + n) of the file, channels averaged with numpy's mean.

    libsndfile formats: read whole, then cut. AAC: seek 0.2 s early and place decoded frames by
    their timestamps, as any seeking reader must; reading AAC from the start instead gives
    other noise in places, since the decoder's noise substitution (PNS) draws from a random
    state that depends on where decoding began.
    """
    if path.suffix != ".m4a":
        return whole_mono(path)[start:start + n]
    import av

    pieces, have = [], 0
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        container.seek(int(max(0.0, start / SR - 0.2) / stream.time_base), stream=stream,
                       backward=True, any_frame=False)
        for frame in container.decode(stream):
            position = int(round(frame.time * SR))
            mono = frame.to_ndarray().mean(axis=0)
            lo, hi = max(0, start - position), min(len(mono), start + n - position)
            if hi > lo:
                pieces.append(mono[lo:hi])
                have += hi - lo
            if have >= n:
                break
    return np.concatenate(pieces)[:n].astype(np.float32)


@functools.lru_cache(maxsize=1)
def whole_mono(path: Path) -> np.ndarray:
    """The whole file (libsndfile formats), channels averaged with numpy's mean: decoded once
    per file, not once per span (:func:`reference_vector` asks for a file's spans in turn)."""
    data, _ = sf.read(path, dtype="float32", always_2d=True)
    return data.mean(axis=1)


def reference_vector(module, embedder, path: Path, seconds: float) -> np.ndarray:
    """Each span decoded on its own, resampled, mel patches; then the network with the
    front-end's original min/max pooling, all patches in one pass; mean over patches."""
    import soxr
    import torch
    import torch.nn.functional as F

    from musicsage.audio.musicnn import features

    patches = []
    for start_s, length_s in embedder.spans(seconds):
        start, n = int(round(start_s * SR)), int(round(length_s * SR))
        excerpt = soxr.resample(span_mono(path, start, n), SR, features.SAMPLE_RATE,
                                quality="HQ")
        mel = features.log_mel_spectrogram(excerpt.astype(np.float32))
        patches.append(features.to_patches(mel, features.patch_starts(len(mel))))
    x = torch.from_numpy(np.concatenate(patches))

    def branch(b, inp):
        z = b.conv(inp)[:, :, b.crop:b.crop + inp.shape[2]]
        low, high = torch.aminmax(z, dim=3)
        pooled = F.relu(torch.where((b.bn.weight >= 0)[None, :, None], high, low))
        return F.batch_norm(pooled, b.bn.running_mean, b.bn.running_var, b.bn.weight,
                            b.bn.bias, False, 0.0, b.bn.eps)

    with torch.inference_mode():
        inp = module.input_bn(x.unsqueeze(1))
        front = torch.cat([branch(b, inp) for b in (module.timbral_74, module.timbral_77,
                                                    module.temporal_128, module.temporal_64,
                                                    module.temporal_32)], dim=1)
        mid1 = module.mid1(front)
        mid2 = module.mid2(mid1) + mid1
        mid3 = module.mid3(mid2) + mid2
        max_pool = torch.cat([front, mid1, mid2, mid3], dim=1).amax(dim=2)
    return max_pool.numpy().mean(axis=0)


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: scripts/setup.sh "
                    "downloads it into models/")
def test_pipeline_vectors_equal_the_sequential_path(ctx, tmp_path):
    """Real-length stereo files in four formats (excerpt policy, seeking decoders, both
    lanes, small passes) give the vectors of the plain whole-file path: cosine ≥ 0.9999."""
    from musicsage.audio.embedder import get_embedder

    music = tmp_path / "music"
    music.mkdir()
    paths = []
    for i, fmt in enumerate(("flac", "mp3", "ogg", "m4a")):
        # > 75 s: four 15-s excerpts, 20 patches; at 80 s each excerpt lies in a section
        audio = stereo_music(80.0, seed=i)
        path = music / f"track{i}.{fmt}"
        if fmt == "m4a":
            write_m4a(path, audio)
        else:
            with sf.SoundFile(path, "w", SR, 2, format={"flac": "FLAC", "mp3": "MP3",
                                                        "ogg": "OGG"}[fmt]) as f:
                for start in range(0, len(audio), 10 * SR):
                    f.write(audio[start:start + 10 * SR])
        paths.append(path)
    ids = add_tracks(ctx, paths)
    embedder = get_embedder("musicnn", ctx, device="cpu")
    rep = run_embed_job(ctx, embedder, cores=2)
    assert (rep.embedded, rep.failed) == (4, 0)
    track_ids, matrix = get_embeddings(connect(ctx), embedder.model_id)
    assert list(track_ids) == ids
    for path, got in zip(paths, matrix):
        seconds = decode.probe(path).duration_s  # what the container says, as the job sees
        want = reference_vector(embedder.network.module, embedder, path, seconds)
        cosine = float(got @ want / np.linalg.norm(got) / np.linalg.norm(want))
        assert cosine >= 0.9999, (path.name, cosine)


# --- lanes and thread budgets ------------------------------------------------------------------


class _Recorder(AudioEmbedder):
    """A model whose inference takes a while and records where and how it ran."""

    model_id = "spectral"
    model_version = "lanes-test"
    sample_rate = 8000
    dim = 2
    batch_size = 1

    def __init__(self, parallel: bool) -> None:
        self.parallel_infer = parallel
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        self.threads: set[str] = set()
        self.torch_threads: set[int] = set()

    def spans(self, duration_s):
        return [(0.0, 0.5)]

    def prepare(self, excerpts):
        return np.ones((1, 2), np.float32)

    def infer(self, units):
        import torch

        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
            self.threads.add(threading.current_thread().name)
            self.torch_threads.add(torch.get_num_threads())
        time.sleep(0.15)
        with self.lock:
            self.active -= 1
        return np.asarray(units, np.float32)


def _short_tracks(ctx, tmp_path, n: int) -> None:
    tone = (0.1 * np.sin(np.arange(4000) / 5)).astype(np.float32)
    paths = []
    for i in range(n):
        sf.write(tmp_path / f"s{i}.wav", tone, 8000)
        paths.append(tmp_path / f"s{i}.wav")
    add_tracks(ctx, paths)


def test_cpu_runs_one_single_threaded_lane_per_core_and_restores_torch(ctx, tmp_path, monkeypatch):
    import torch

    monkeypatch.setattr(threads, "cpu_cores", lambda: 2)  # two lanes on any machine: cores are capped to it
    _short_tracks(ctx, tmp_path, 8)
    before = torch.get_num_threads()
    model = _Recorder(parallel=True)
    rep = run_embed_job(ctx, model, cores=2)
    assert rep.embedded == 8
    assert model.most_active == 2 and len(model.threads) == 2  # two passes at once
    assert model.torch_threads == {1}  # each pass single-threaded: no spinning team
    assert torch.get_num_threads() == before


def test_a_model_without_parallel_inference_keeps_one_lane(ctx, tmp_path):
    _short_tracks(ctx, tmp_path, 4)
    model = _Recorder(parallel=False)
    assert run_embed_job(ctx, model, cores=2).embedded == 4
    assert model.most_active == 1


def test_thread_budgets():
    cpu = threads.budget_for("cpu", cores=2)
    assert (cpu.lanes, cpu.torch_threads, cpu.blas_threads) == (2, 1, 1)
    assert cpu.decoders >= 2
    assert threads.budget_for("cpu", cores=1).lanes == 1
    assert threads.budget_for("cpu", cores=4, uses_torch=False).lanes == 1
    gpu = threads.budget_for("cuda", cores=2)
    assert gpu.lanes == 1 and gpu.torch_threads is None  # the GPU runs one big batch at a time
    assert threads.cpu_cores() >= 1


def test_non_positive_cores_are_refused(ctx, tmp_path):
    from musicsage.errors import MusicsageError

    _short_tracks(ctx, tmp_path, 1)
    with pytest.raises(MusicsageError, match="at least 1"):
        run_embed_job(ctx, _Recorder(parallel=True), cores=0)


# --- devices -----------------------------------------------------------------------------------


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def test_device_auto_and_cpu():
    assert resolve_device(None) == resolve_device("auto") == ("cuda" if _has_cuda() else "cpu")
    assert resolve_device("CPU") == "cpu"
    assert resolve_device("auto", uses_torch=False) == "cpu"
    with pytest.raises(DeviceUnavailable, match="unknown device 'gpu'"):
        resolve_device("gpu")


@pytest.mark.skipif(_has_cuda(), reason="this machine has a GPU: the refusal cannot happen")
def test_cuda_is_refused_in_one_line_without_a_gpu(ctx, capsys):
    from musicsage import cli
    from musicsage.library.db import connect

    with pytest.raises(DeviceUnavailable, match="no CUDA GPU is available"):
        resolve_device("cuda")
    connect(ctx)  # an empty library: without one, embed is refused for that
    assert cli.main(["embed", "--data-dir", str(ctx.data_dir), "--device", "cuda"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("musicsage embed: --device cuda: no CUDA GPU is available here (torch sees "
                   "none); use --device cpu or --device auto")


def test_cuda_index_checked_against_the_gpus_present(monkeypatch):
    from musicsage.audio import device

    monkeypatch.setattr(device, "_cuda_device_count", lambda: 1)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cuda") == "cuda" and resolve_device("cuda:0") == "cuda:0"
    assert resolve_device("cuda", uses_torch=False) == "cpu"
    with pytest.raises(DeviceUnavailable, match="has 1 CUDA GPU"):
        resolve_device("cuda:1")


def test_auto_follows_what_torch_sees(monkeypatch):
    """``--device auto`` (the default) takes the GPU exactly when torch reports one: checked
    through torch's own ``cuda.is_available``/``device_count``, as on a machine with a GPU,
    one without, and one whose driver install is broken."""
    import torch

    from musicsage.audio.musicnn.embedding import MusicnnEmbedder

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert resolve_device(None) == resolve_device("auto") == "cuda"
    assert MusicnnEmbedder._pick_device(None) == "cuda"
    assert resolve_device("cuda:1") == "cuda:1"
    assert resolve_device("auto", uses_torch=False) == "cpu"  # numpy models stay on the CPU

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device(None) == MusicnnEmbedder._pick_device("auto") == "cpu"

    def broken() -> bool:
        raise RuntimeError("CUDA driver initialization failed")

    monkeypatch.setattr(torch.cuda, "is_available", broken)
    assert resolve_device("auto") == "cpu"
    with pytest.raises(DeviceUnavailable, match="no CUDA GPU is available"):
        resolve_device("cuda")


def test_embed_help_says_which_devices():
    from musicsage.cli_parser import build_parser

    embed = next(a for a in build_parser()._actions if a.dest == "command").choices["embed"]
    device = next(a for a in embed._actions if a.dest == "device")
    assert device.default == "auto"
    assert all(word in device.help for word in ("auto", "cpu", "cuda", "cuda:N"))


# --- nothing to do -----------------------------------------------------------------------------


@pytest.mark.skipif(not WHEEL.is_file(), reason=f"{WHEEL.name} absent: without weights on "
                    "disk the run must build (fetch) the model, so there is no shortcut")
def test_embed_with_nothing_to_do_returns_without_loading_the_model(ctx, tmp_path):
    """Every track has a current MusiCNN vector: the run answers from the DB alone — no
    torch import, no network loaded."""
    from musicsage.audio.musicnn import identity

    _short_tracks(ctx, tmp_path, 3)
    model_id, version = identity(ctx)
    conn = connect(ctx)
    for (track_id,) in conn.execute("SELECT id FROM tracks").fetchall():
        store_embedding(conn, track_id, model_id, version, np.ones(753, np.float32))
    code = (
        "import sys, time\n"
        "from musicsage.context import AppContext\n"
        "from musicsage.usecases.embedding import embed_library\n"
        "t = time.perf_counter()\n"
        f"r = embed_library(AppContext.create({str(ctx.data_dir)!r}), 'musicnn')\n"
        "print(r.total, r.embedded, r.device, 'torch' in sys.modules, time.perf_counter() - t)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr
    total, embedded, device, torch_loaded, seconds = out.stdout.split()
    assert (total, embedded, device, torch_loaded) == ("0", "0", "auto", "False")
    # A changed policy is work again (the vectors are stale): the model is built then.
    assert identity(ctx, max_seconds=30)[1] != version
