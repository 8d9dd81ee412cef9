"""What ``models``, ``stats`` and ``models --use`` say of a model.pt the user may not read, of
one whose bytes fail in ways the system reports without an errno, and of one restored over
with ``cp -p`` or ``rsync -a`` (its size and mtime kept): each is told for what it is, never
"damaged" for a file that only its permissions keep from being read, never "files ok" for
bytes that changed."""

from __future__ import annotations

import os
import shutil
import time
import zipfile

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.checkpoint import load_checkpoint
from musicsage.usecases.models import (current_model_problem, list_graph_models,
                                       use_graph_model)
from musicsage.usecases.training import current_graph_model

from checkpoint_support import refuse_reading
from musicsage.context import library_option


def _checkpoint_of(ctx, model_id) -> str:
    folder = next(r for r in list_graph_models(ctx) if r.id == model_id).dir
    return os.path.join(folder, "model.pt")


def _flip_weight_bytes(path: str) -> None:
    """Invert 16 bytes inside the largest tensor of ``path``, its archive left whole."""
    with zipfile.ZipFile(path) as archive:
        biggest = max((i for i in archive.infolist() if "/data/" in i.filename),
                      key=lambda i: i.file_size)
    with open(path, "rb") as fh:
        fh.seek(biggest.header_offset + 26)
        name_len, extra_len = (int.from_bytes(fh.read(2), "little") for _ in range(2))
    at = biggest.header_offset + 30 + name_len + extra_len + biggest.file_size // 2
    with open(path, "r+b") as fh:
        fh.seek(at)
        chunk = fh.read(16)
        fh.seek(at)
        fh.write(bytes(b ^ 0xFF for b in chunk))


def test_a_model_the_user_may_not_read_is_listed_unreadable_not_damaged(
        two_models, monkeypatch, capsys):
    """``models`` said "DAMAGED: its files cannot be read (PermissionError)" and ``stats``
    "searches use audio alone until a retrain": its vectors still give the lists, and
    retraining would not mend a file its permissions keep from being read."""
    ctx, first, second = two_models
    refuse_reading(monkeypatch, _checkpoint_of(ctx, second))  # the current one
    row = next(r for r in list_graph_models(ctx) if r.id == second)
    assert row.problem == "model.pt cannot be read: Permission denied"
    assert current_model_problem(ctx) == "model.pt cannot be read: Permission denied"
    assert cli.main(["--data-dir", str(ctx.data_dir), "models"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if str(second) in x.split()[:2])
    assert line.endswith("UNREADABLE: model.pt cannot be read: Permission denied"), line
    assert "DAMAGED" not in line
    assert cli.main(["--data-dir", str(ctx.data_dir), "stats"]) == 0
    graph = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("graph "))
    assert "model.pt cannot be read: Permission denied" in graph, graph
    assert "its saved vectors still give the graph lists" in graph
    assert "searches use audio alone" not in graph
    assert " is UNREADABLE: " in graph and "DAMAGED" not in graph, graph
    assert "until musicsage may read model.pt again" in graph and "retrain" not in graph


def test_the_docks_model_line_says_unreadable_not_damaged(two_models, monkeypatch):
    """The dock called such a model "damaged" and advised a Retrain, which mends no
    permissions."""
    from musicsage.controllers.evaluation import describe_model
    from musicsage.usecases.library import library_stats

    ctx, first, second = two_models
    refuse_reading(monkeypatch, _checkpoint_of(ctx, second))
    line = describe_model(library_stats(ctx).graph_model)
    assert f"Model {second} on " in line and " is unreadable: model.pt cannot be read" in line
    assert "damaged" not in line and "Retrain" not in line, line


def _set_compression_method(path: str, method: int) -> None:
    """Overwrite the compression field of the archive index's first record (its bytes 10-11),
    as a stray write might: 12 is bzip2, whose reader fails on torch's stored bytes with an
    OSError that has no errno ("Invalid data stream")."""
    with zipfile.ZipFile(path) as archive:
        at = archive.start_dir
    with open(path, "r+b") as fh:
        fh.seek(at + 10)
        fh.write(method.to_bytes(2, "little"))


def test_bytes_the_decompressor_refuses_are_damage_not_a_permission_problem(
        two_models, capsys):
    """Such an OSError was taken for the user's permissions: ``models`` said "its files cannot
    be read (OSError)" and ``models --use`` "cannot read the graph model …: OSError", without
    advising the retrain that mends it."""
    ctx, first, second = two_models
    path = _checkpoint_of(ctx, first)
    _set_compression_method(path, 12)
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert row.problem == "model.pt is damaged: cannot be read whole (OSError)"
    with pytest.raises(MusicsageError, match=r"cannot be read whole \(OSError\); retrain it"):
        load_checkpoint(path)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    err = capsys.readouterr().err
    assert rc == 1 and (f"graph model {first} is unusable: model.pt is damaged: cannot be "
                        "read whole (OSError)") in err, err
    assert current_graph_model(ctx).id == second


@pytest.mark.parametrize("restore", ["rsync -a", "cp -p"])
def test_a_copy_restored_with_the_same_size_and_mtime_is_checked_again(two_models, restore):
    """The listing read model.pt again only once its size or mtime changed: a damaged copy
    restored over it with ``rsync -a`` (a new file renamed over it) or ``cp -p`` (written in
    place) keeps both, and the model stayed "files ok" in ``models`` and the window."""
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    assert next(r for r in list_graph_models(ctx) if r.id == first).usable  # answer kept
    before = os.stat(path)
    time.sleep(0.05)  # past the kernel's coarse clock tick, so a write moves the ctime
    if restore == "rsync -a":
        copy = path + ".tmp"
        shutil.copyfile(path, copy)
        _flip_weight_bytes(copy)
        os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(copy, path)
    else:
        _flip_weight_bytes(path)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert row.problem is not None and "its weights fail their checksum" in row.problem, row


def test_a_switch_names_the_damage_its_load_found(two_models, monkeypatch):
    """``models --use`` read the damage its load found again through the listing's kept
    answers; one that still said "whole" gave the vague "model.pt is damaged or does not fit
    this version" instead of what the load found."""
    from musicsage.graph import checkpoint_archive

    ctx, first, second = two_models
    monkeypatch.setattr(checkpoint_archive, "archive_problem_once",
                        lambda path, fingerprint=None: None)
    _flip_weight_bytes(_checkpoint_of(ctx, first))
    with pytest.raises(MusicsageError) as caught:
        use_graph_model(ctx, first)
    assert str(caught.value) == (f"graph model {first} is unusable: model.pt is damaged: its "
                                 "weights fail their checksum (the file changed on disk "
                                 "after it was saved); train another (`musicsage train`) or "
                                 "use another (`musicsage models --use ID`)")
    assert current_graph_model(ctx).id == second


def test_a_model_of_a_newer_version_is_refused_as_such(two_models, capsys):
    """A whole model.pt of a newer version was refused as "damaged or does not fit this
    version": the load's own line says which version, and what to do — not "retrain it":
    model N cannot be retrained (a run makes a new model), another is trained or used."""
    import torch

    ctx, first, second = two_models
    path = _checkpoint_of(ctx, first)
    payload = torch.load(path, weights_only=True)
    torch.save(dict(payload, version=99), path)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    err = capsys.readouterr().err
    assert rc == 1 and len(err.strip().splitlines()) == 1, err
    assert (f"graph model {first} is unusable: {path} was written by a newer musicsage (graph "
            "model version 99; this one reads up to 4: upgrade musicsage to use it); train "
            f"another (`musicsage {library_option(ctx.data_dir)}train`) or "
            f"use another (`musicsage {library_option(ctx.data_dir)}models --use ID`)") in err, err
    assert "damaged" not in err and current_graph_model(ctx).id == second


def test_a_part_said_to_be_lzma_is_damage_not_a_crash(tmp_path):
    """A compression field overwritten to 14 (LZMA) made zipfile raise LZMAError, which
    ``models`` and ``stats`` ended in "unexpected error …; this is a bug" on."""
    import struct

    from musicsage.graph.checkpoint_archive import archive_problem

    path = tmp_path / "model.pt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", b"x" * 10)
        archive.writestr("archive/data/0", bytes(4096))
    with zipfile.ZipFile(path) as archive:
        at = archive.start_dir
    with open(path, "r+b") as fh:
        fh.seek(at + 28)
        name, extra, comment = struct.unpack("<HHH", fh.read(6))
        fh.seek(at + 46 + name + extra + comment + 10)  # the second part's record
        fh.write((14).to_bytes(2, "little"))
    assert archive_problem(path) == "it cannot be read whole (LZMAError)"


def test_the_graph_model_menu_says_unreadable_not_damaged(two_models, monkeypatch):
    """The window's Graph model menu marked such a model "— damaged", as `models` no longer
    does."""
    from musicsage.controllers.models import unusable_word

    ctx, first, second = two_models
    refuse_reading(monkeypatch, _checkpoint_of(ctx, second))
    _set_compression_method(_checkpoint_of(ctx, first), 12)
    rows = {r.id: r for r in list_graph_models(ctx)}
    assert unusable_word(rows[second]) == "unreadable"
    assert unusable_word(rows[first]) == "damaged"
