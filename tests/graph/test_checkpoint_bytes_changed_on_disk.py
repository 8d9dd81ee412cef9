"""A model.pt whose bytes changed on disk after it was saved (a bad sector, a copy gone wrong)
while its archive stays whole: torch reads the weights without checking the archive's
checksums, so such a model was made current by ``models --use`` and placed new tracks with
garbage weights. It is refused in one line instead, nothing changed."""

from __future__ import annotations

import os
import zipfile

import pytest

from musicsage import cli
from musicsage.errors import MusicsageError
from musicsage.graph.checkpoint import load_checkpoint
from musicsage.usecases.models import list_graph_models, use_graph_model
from musicsage.usecases.training import current_graph_model
from hints_told_support import as_default


def _flip_weight_bytes(path: str) -> None:
    """Invert a few bytes inside the largest tensor of ``path``, its archive left whole."""
    with zipfile.ZipFile(path) as archive:
        biggest = max((i for i in archive.infolist() if "/data/" in i.filename),
                      key=lambda i: i.file_size)
    with open(path, "rb") as fh:  # its bytes start after the local header: 30 bytes, the
        fh.seek(biggest.header_offset + 26)  # name and the extra field
        name_len, extra_len = (int.from_bytes(fh.read(2), "little") for _ in range(2))
    start = biggest.header_offset + 30 + name_len + extra_len
    with open(path, "r+b") as fh:
        fh.seek(start + biggest.file_size // 2)
        chunk = fh.read(16)
        fh.seek(start + biggest.file_size // 2)
        fh.write(bytes(b ^ 0xFF for b in chunk))
    with zipfile.ZipFile(path) as archive:  # still a whole archive: only its checksum tells
        assert archive.testzip() == biggest.filename


def _checkpoint_of(ctx, model_id) -> str:
    folder = next(r for r in list_graph_models(ctx) if r.id == model_id).dir
    return os.path.join(folder, "model.pt")


def test_changed_weights_are_refused_when_loaded(two_models):
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    _flip_weight_bytes(path)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "its weights fail their checksum" in message and "\n" not in message
    assert "archive/data" not in message  # torch's entry names mean nothing to a user


def test_a_switch_to_a_model_with_changed_weights_is_refused(two_models, capsys):
    ctx, first, second = two_models
    _flip_weight_bytes(_checkpoint_of(ctx, first))
    with pytest.raises(MusicsageError, match=f"graph model {first} is unusable: model.pt"):
        use_graph_model(ctx, first)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and f"graph model {first} is unusable" in err
    assert current_graph_model(ctx).id == second


def test_an_overwritten_checkpoint_says_so_in_one_line_without_torchs_advice(two_models):
    """torch's text for a file that is no checkpoint ran over lines and advised loading it
    with ``weights_only=False`` — running whatever code the file holds."""
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    import pickle

    with open(path, "wb") as fh:
        pickle.dump({"not": {"a", "model"}}, fh)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "not a readable graph model" in message and "\n" not in message
    assert "weights_only" not in message


@pytest.mark.parametrize("lacking", ["audio_model", "contexts"])
def test_a_checkpoint_lacking_part_of_its_description_is_refused_in_one_line(
        two_models, capsys, lacking):
    """A checkpoint of the current format lacking a key (written by hand, or by a tool
    that rewrote it) crashed ``models --use`` with a KeyError — at once, or once the switch
    was made and the saved model placed new tracks. The refusal names the part it lacks
    (it said only "damaged or does not fit this version"), and the way on for model N: not
    "retrain it" (a run makes a new model), another trained or used."""
    import torch

    ctx, first, second = two_models
    path = _checkpoint_of(ctx, first)
    payload = torch.load(path, weights_only=True)
    payload.pop(lacking)
    torch.save(payload, path)
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "Traceback" not in err and "bug" not in err, err
    assert as_default(err, ctx.data_dir).strip().splitlines() == [
        f"musicsage models: graph model {first} is unusable: {path} is not a readable graph "
        f"model: its description is incomplete (no {lacking}); train another (`musicsage "
        "train`) or use another (`musicsage models --use ID`)"]
    assert current_graph_model(ctx).id == second


def _crc_fields(path: str, name: str) -> tuple[int, int]:
    """The offsets of ``name``'s CRC-32 in its local header and in the archive's index."""
    with zipfile.ZipFile(path) as archive:
        entry, at = archive.getinfo(name), archive.start_dir
    with open(path, "rb") as fh:
        data = fh.read()
    while data[at:at + 4] == b"PK\x01\x02":  # the index's records: 46 bytes, then 3 fields
        sizes = [int.from_bytes(data[at + i:at + i + 2], "little") for i in (28, 30, 32)]
        if data[at + 46:at + 46 + sizes[0]].decode() == name:
            return entry.header_offset + 14, at + 16
        at += 46 + sum(sizes)
    raise AssertionError(f"{name} is not in the archive's index")


def _weights_entry(path: str) -> zipfile.ZipInfo:
    with zipfile.ZipFile(path) as archive:
        return max((i for i in archive.infolist() if "/data/" in i.filename),
                   key=lambda i: i.file_size)


def test_a_damaged_local_header_is_not_called_a_checksum_failure(two_models):
    """A part whose header is not where the archive's index says was reported as a part
    failing its checksum: the bytes were never read, so no checksum was compared."""
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    entry = _weights_entry(path)
    with open(path, "r+b") as fh:
        fh.seek(entry.header_offset)
        fh.write(b"XXXX")
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "checksum" not in message and "its weights cannot be found" in message, message


def test_parts_saved_without_checksums_still_load(two_models):
    """torch writes a CRC of 0 when told not to compute them
    (``torch.serialization.config.save.compute_crc32 = False``) and loads such a file;
    it was refused as failing its checksum."""
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    with zipfile.ZipFile(path) as archive:
        names = [i.filename for i in archive.infolist() if i.file_size]
    with open(path, "r+b") as fh:
        for name in names:
            for offset in _crc_fields(path, name):
                fh.seek(offset)
                fh.write(b"\0\0\0\0")
    model, meta = load_checkpoint(path)
    assert meta["audio_model"] == "spectral"


def test_a_checkpoint_whose_context_keys_are_no_list_names_them(two_models):
    import torch

    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    payload = torch.load(path, weights_only=True)
    payload["context_keys"] = 7
    torch.save(payload, path)
    with pytest.raises(MusicsageError, match=r"\(context_keys is not a list\)"):
        load_checkpoint(path)


def test_a_checkpoint_the_user_may_not_read_is_not_called_damaged(two_models, monkeypatch):
    """A model.pt the user may not read said "it cannot be read whole (PermissionError);
    retrain it": no damage, and retraining would not mend it. (The tests may run as root,
    whom chmod 000 does not stop: the refusal is made by the open itself.)"""
    from musicsage.graph import checkpoint_archive

    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)

    def refused(file, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(checkpoint_archive, "open", refused, raising=False)
    with pytest.raises(MusicsageError) as caught:
        load_checkpoint(path)
    message = str(caught.value)
    assert "Permission denied" in message and "retrain" not in message, message
    assert "damaged" not in message and "\n" not in message


def test_a_model_whose_weights_changed_on_disk_is_listed_damaged(two_models, capsys):
    """``models`` listed such a model "files ok" (it read only the archive's index) and the
    window offered it, refused only once picked."""
    ctx, first, _second = two_models
    _flip_weight_bytes(_checkpoint_of(ctx, first))
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert row.problem == ("model.pt is damaged: its weights fail their checksum (the file "
                           "changed on disk after it was saved)")
    assert cli.main(["--data-dir", str(ctx.data_dir), "models"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if f"{first}" in x.split()[:2])
    assert "files ok" not in line and "checksum" in line, line


def _set_encrypted_flag(path: str) -> None:
    """Set the "encrypted" bit in the archive index's first record (its byte 8), as a stray
    write might: zipfile then refuses to open the part without a password."""
    with zipfile.ZipFile(path) as archive:
        at = archive.start_dir
    with open(path, "r+b") as fh:
        fh.seek(at + 8)
        flags = fh.read(1)[0]
        fh.seek(at + 8)
        fh.write(bytes([flags | 0x1]))


def test_a_part_marked_encrypted_is_damage_not_a_crash(two_models, capsys):
    """The "encrypted" flag set on one part made zipfile raise RuntimeError ("… is encrypted,
    password required"): ``models`` and the window's snapshot crashed on the whole library,
    and ``models --use`` with a traceback."""
    ctx, first, second = two_models
    _set_encrypted_flag(_checkpoint_of(ctx, first))
    row = next(r for r in list_graph_models(ctx) if r.id == first)
    assert row.problem is not None and row.problem.startswith("model.pt is damaged: "), row
    assert "encrypted" in row.problem and "\n" not in row.problem
    assert next(r for r in list_graph_models(ctx) if r.id == second).problem is None
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    out, err = capsys.readouterr()
    assert rc == 1 and len(err.strip().splitlines()) == 1, err
    assert f"graph model {first} is unusable: model.pt is damaged: its" in err
    assert "marked encrypted" in err
    assert "Traceback" not in err and current_graph_model(ctx).id == second


def test_a_switch_to_a_model_the_user_may_not_read_says_so(two_models, monkeypatch, capsys):
    """``models --use`` of a model.pt the user may not read said "damaged or does not fit
    this version": retraining would not mend it."""
    from checkpoint_support import refuse_reading

    ctx, first, second = two_models
    refuse_reading(monkeypatch, _checkpoint_of(ctx, first))
    rc = cli.main(["--data-dir", str(ctx.data_dir), "models", "--use", str(first)])
    err = capsys.readouterr().err
    assert rc == 1 and (f"graph model {first} is unusable: model.pt cannot be read: "
                        "Permission denied") in err, err
    assert "damaged" not in err and current_graph_model(ctx).id == second


def test_a_rewritten_model_keeps_one_checked_answer(two_models, monkeypatch):
    """Every answer of the listing's check was kept, one per (path, size, mtime): a model
    rewritten on every snapshot grew the window's memory without end."""
    from musicsage.graph import checkpoint_archive

    monkeypatch.setattr(checkpoint_archive, "_ARCHIVE_CHECKS", {})
    ctx, first, _second = two_models
    path = _checkpoint_of(ctx, first)
    for step in range(3):
        os.utime(path, ns=(10**18 + step, 10**18 + step))
        assert all(r.usable for r in list_graph_models(ctx))
    assert len(checkpoint_archive._ARCHIVE_CHECKS) == 2  # one per model.pt
    _flip_weight_bytes(path)  # a change is still seen
    os.utime(path, ns=(10**18 + 9, 10**18 + 9))
    assert not next(r for r in list_graph_models(ctx) if r.id == first).usable


def test_listing_models_does_not_import_torch(two_models):
    """The window's process and ``models`` imported torch to check model.pt (seconds and
    hundreds of MB on every start); the check needs only the standard library."""
    import subprocess
    import sys
    from pathlib import Path

    ctx, first, _second = two_models
    repo = Path(__file__).resolve().parents[2]
    script = ("import sys; from musicsage.context import AppContext; "
              "from musicsage.usecases.models import list_graph_models; "
              f"rows = list_graph_models(AppContext.create({str(ctx.data_dir)!r})); "
              "print([r.problem for r in rows], 'torch' in sys.modules, 'dgl' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(repo)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=repo, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[None, None] False False", out.stdout + out.stderr
