"""Where the graph model computes: ``--device auto|cpu|cuda``, tensors on the model's device,
checkpoints that open on a machine without a GPU.

No GPU here, so the GPU path is checked three ways: the device choice is tested with torch's
view of the machine monkeypatched; every tensor a training step and inference touch is checked
to live on the model's device by running them on torch's ``meta`` device (a device other than
the CPU that every machine has) under a watch that flags any operation mixing it with CPU
tensors; and a checkpoint whose storages are tagged as CUDA ones must still open. The real GPU
run is the last test, skipped where torch sees no GPU.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from musicsage import cli
from musicsage.graph.build import build_context_graph
from musicsage.graph.checkpoint import align_contexts, save_checkpoint
from musicsage.graph.config import TrainConfig
from musicsage.graph.dgi import DGIObjective
from musicsage.graph.inference import encode_tracks, inference_tables
from musicsage.graph.model import PinSageEncoder, build_encoder
from musicsage.graph.objectives import StepSetup, infonce
from musicsage.graph.serve import SavedModel
from musicsage.graph.synthetic import hidden_factor_data
from musicsage.graph.train import train

SHORT = TrainConfig().with_(max_steps=20, eval_every=10, batch_size=64, dim=16, hidden=16)


@pytest.fixture(scope="module")
def data():
    return hidden_factor_data(n_tracks=160, n_playlists=20, seed=5)


def _no_gpu(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)


def _one_gpu(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)


# --- the choice ------------------------------------------------------------------------------


class _Moved(Exception):
    """Raised by a stand-in ``PinSageEncoder.to``: records where training put the encoder."""


@pytest.mark.parametrize("gpu", [True, False])
def test_auto_trains_on_the_gpu_exactly_when_torch_sees_one(data, monkeypatch, gpu):
    (_one_gpu if gpu else _no_gpu)(monkeypatch)
    asked = []

    def record(self, device):
        asked.append(str(device))
        raise _Moved

    monkeypatch.setattr(PinSageEncoder, "to", record)
    for requested in (None, "auto"):
        with pytest.raises(_Moved):
            train(data, data.memberships, config=SHORT, device=requested)
    assert asked == (["cuda", "cuda"] if gpu else ["cpu", "cpu"])


def test_cuda_without_a_gpu_is_refused_in_one_line_before_anything_is_read(
        dataset, tmp_path, capsys, monkeypatch):
    from musicsage.context import AppContext
    from musicsage.library.db import connect

    _no_gpu(monkeypatch)
    connect(AppContext.create(tmp_path / "lib"))  # an empty library: plain `train` needs one
    out = tmp_path / "out"
    for argv in (["train", "--dataset", str(dataset), "--out", str(out)],
                 ["eval", "--dataset", str(dataset)],
                 ["train"]):  # the library path (the window's Retrain calls the same function)
        assert cli.main(["--data-dir", str(tmp_path / "lib"), *argv, "--device", "cuda"]) == 1
        err = capsys.readouterr().err.strip()
        assert err == (f"musicsage {argv[0]}: --device cuda: no CUDA GPU is available here "
                       "(torch sees none); use --device cpu or --device auto")
    assert not out.exists()


def test_explicit_cpu_gives_the_default_paths_vectors_and_says_where_it_ran(
        dataset, tmp_path, capsys, monkeypatch):
    """On a machine without a GPU the default (auto) is the CPU: the same numbers, bit for
    bit, as ``--device cpu``; the summary, the checkpoint and metrics.json name the device."""
    _no_gpu(monkeypatch)
    vectors = {}
    for name, extra in (("default", []), ("cpu", ["--device", "cpu"])):
        out = tmp_path / name
        assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                         "--out", str(out), "--max-steps", "20", "--json", *extra]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert summary["device"] == "cpu" and summary["metrics"]["device"] == "cpu"
        assert torch.load(out / "model.pt", weights_only=True)["device"] == "cpu"
        assert json.loads((out / "metrics.json").read_text())["device"] == "cpu"
        vectors[name] = np.load(out / "embeddings.npy")
    assert np.array_equal(vectors["default"], vectors["cpu"])


def test_a_seed_gives_the_same_vectors_bit_for_bit_with_several_torch_threads(
        data, monkeypatch):
    """Training takes half the cores: on a 16-core machine two runs of one seed differed by
    ~1e-7 (some CPU kernels add up in the order their threads finish), and the test above
    failed there. Four threads here (on any core count) must repeat themselves exactly."""
    monkeypatch.setattr("musicsage.graph.config.usable_cores", lambda: 8)
    config = TrainConfig().with_(threads=4, max_steps=20, eval_every=10)
    runs = [train(data, data.memberships, config=config, device="cpu") for _ in range(2)]
    first, second = (run.embed(data) for run in runs)
    assert np.array_equal(first, second)
    assert not torch.are_deterministic_algorithms_enabled()  # restored after the run


def test_a_models_neighbourhood_tables_do_not_depend_on_the_thread_count(data):
    """DGL's walks run on torch's threads, each with its own random stream: the same seed drew
    other tables with 4 threads than with 1, so one saved model placed tracks differently on
    machines with other core counts (and the tests comparing written vectors with recomputed
    ones failed on 8+ cores). The tables are drawn on one thread, whatever the caller's."""
    graph = build_context_graph(data, data.memberships, ("playlist", "album", "artist"))
    drawn = []
    for threads in (1, 4):
        torch.set_num_threads(threads)
        drawn.append(inference_tables(graph, SHORT.walk, 2, seed=3))
        assert torch.get_num_threads() == threads  # the caller's count is given back
    for one, four in zip(*drawn):
        assert np.array_equal(one.nbr, four.nbr)
        assert np.array_equal(one.weight, four.weight)


def test_the_text_line_says_where_the_model_trained(dataset, tmp_path, capsys, monkeypatch):
    _no_gpu(monkeypatch)
    assert cli.main(["--data-dir", str(tmp_path / "lib"), "train", "--dataset", str(dataset),
                     "--out", str(tmp_path / "out"), "--max-steps", "10"]) == 0
    assert " s on cpu; wrote " in capsys.readouterr().out


# --- every tensor on the model's device ------------------------------------------------------


class _DeviceWatch(TorchDispatchMode):
    """Flags every aten operation that gets tensors (other than 0-d scalars) from both the
    CPU and the ``meta`` device: on a GPU the same operation would be a device mismatch or a
    hidden copy. (The dispatch level sees every operation, indexing included; the meta
    device's own checks miss some, e.g. an embedding bag with CPU indices.)"""

    def __init__(self) -> None:
        super().__init__()
        self.mixed: list[str] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        kinds = {t.device.type for t in _tensors((args, kwargs)) if t.dim() > 0}
        if {"cpu", "meta"} <= kinds:
            self.mixed.append(str(func))
        return func(*args, **kwargs)


def _tensors(value):
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _tensors(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item)


def _setup_on_meta(data, config: TrainConfig) -> StepSetup:
    graph = build_context_graph(data, data.memberships, ("playlist", "album", "artist"))
    model = build_encoder(data.features, graph.n_contexts, config.encoder).to("meta")
    return StepSetup(model, data, graph, data.memberships, ("playlist", "album", "artist"),
                     config, np.random.default_rng(0))


def test_the_watch_sees_a_cpu_tensor_meeting_a_meta_one():
    table = torch.zeros(4, 2, device="meta")
    with _DeviceWatch() as watch:
        table[torch.arange(2)]
        torch.nn.functional.embedding_bag(torch.tensor([0, 1]), table, torch.tensor([0]))
        table[torch.arange(2, device="meta")]
    assert len(watch.mixed) == 2 and "index" in watch.mixed[0]


@pytest.mark.parametrize("objective", ["infonce", "dgi", "dgi-corrupt"])
def test_a_training_step_runs_entirely_on_the_models_device(data, objective):
    config = SHORT.with_(negatives=16, context_dropout=0.2)
    step = (infonce() if objective == "infonce"
            else DGIObjective(contexts="corrupt" if objective == "dgi-corrupt" else "off"))
    setup = _setup_on_meta(data, config)
    step.prepare(setup)
    setup.model.train()
    with _DeviceWatch() as watch:
        loss = step.loss()
    assert loss.device.type == "meta" and loss.dim() == 0
    assert watch.mixed == []
    assert all(p.device.type == "meta" for p in step.parameters())


def test_inference_runs_entirely_on_the_models_device(data):
    """As a saved model embeds new tracks: its context vectors re-indexed to the library's
    contexts (one fewer here), then every track encoded."""
    setup = _setup_on_meta(data, SHORT)
    tables = inference_tables(setup.graph, SHORT.walk, SHORT.encoder.layers, seed=1)
    keys = [str(k) for k in setup.graph.context_keys]
    with _DeviceWatch() as watch:
        align_contexts(setup.model, keys[1:], setup.graph)
        out = encode_tracks(setup.model, data, setup.graph, tables)
    assert setup.model.project.contexts.weight.device.type == "meta"
    assert out.device.type == "meta" and tuple(out.shape) == (data.n_tracks, 16)
    assert watch.mixed == []


# --- checkpoints -----------------------------------------------------------------------------


def test_a_checkpoint_with_gpu_storages_opens_on_the_cpu(data, tmp_path, monkeypatch):
    """Storages tagged 'cuda:0' — what a GPU's tensors write — load with ``map_location``
    onto the CPU (and embed as the trained model does); a plain ``torch.load`` here fails."""
    import torch.serialization as serialization

    result = train(data, data.memberships, config=SHORT, device="cpu")
    path = tmp_path / "model.pt"
    with monkeypatch.context() as patch:
        patch.setattr(serialization, "location_tag", lambda storage: "cuda:0")
        save_checkpoint(path, result, data)
    if not torch.cuda.is_available():
        with pytest.raises(Exception, match="deserialize object on a CUDA device"):
            torch.load(path, weights_only=True)
    saved = SavedModel.load(path, device="cpu")
    assert saved.device == "cpu"
    assert all(t.device.type == "cpu" for t in saved.encoder.state_dict().values())
    graph = build_context_graph(data, data.memberships, result.contexts)
    assert np.allclose(saved.embed(data), result.embed(data, graph), atol=1e-6)


def test_saved_model_follows_the_same_device_policy(data, tmp_path, monkeypatch):
    result = train(data, data.memberships, config=SHORT, device="cpu")
    save_checkpoint(tmp_path / "model.pt", result, data)
    _no_gpu(monkeypatch)
    assert SavedModel.load(tmp_path / "model.pt").device == "cpu"
    with pytest.raises(Exception, match="no CUDA GPU is available"):
        SavedModel.load(tmp_path / "model.pt", device="cuda")


# --- a real GPU --------------------------------------------------------------------------------


@pytest.mark.skipif(not torch.cuda.is_available(), reason="torch sees no CUDA GPU here")
def test_training_on_the_gpu_saves_cpu_weights_that_embed_alike_on_the_cpu(data, tmp_path):
    result = train(data, data.memberships, config=SHORT.with_(max_steps=40), device="cuda")
    assert result.device == "cuda"
    assert all(p.device.type == "cuda" for p in result.model.parameters())
    graph = build_context_graph(data, data.memberships, result.contexts)
    on_gpu = result.embed(data, graph)
    assert np.isfinite(on_gpu).all()
    save_checkpoint(tmp_path / "model.pt", result, data)
    payload = torch.load(tmp_path / "model.pt", weights_only=True)  # no map_location
    assert payload["device"] == "cuda"
    assert all(t.device.type == "cpu" for t in payload["state_dict"].values())
    on_cpu = SavedModel.load(tmp_path / "model.pt", device="cpu").embed(data)
    assert np.allclose(on_cpu, on_gpu, atol=1e-4)
    back_on_gpu = SavedModel.load(tmp_path / "model.pt", device="cuda")
    assert np.allclose(back_on_gpu.embed(data), on_gpu, atol=1e-5)
