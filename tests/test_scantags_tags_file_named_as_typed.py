"""``tags FILE`` names FILE as typed in its refusals: ``tags ./~/x.mp3`` (a folder named
``~`` in the current one) said "~/x.mp3: file not found", which reads as a file in the home
folder, the one a user did not mean."""

from __future__ import annotations

import pytest

from musicsage import cli


@pytest.mark.parametrize("make, said", [(None, "file not found"), ("", "empty file")])
def test_a_path_under_a_folder_named_tilde_is_named_as_typed(tmp_path, data_dir, capsys,
                                                             monkeypatch, make, said):
    (tmp_path / "~").mkdir()
    if make is not None:
        (tmp_path / "~" / "x.mp3").write_bytes(make.encode())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["tags", "./~/x.mp3", "--data-dir", str(data_dir)]) == 1
    assert capsys.readouterr().err.strip() == f"musicsage tags: ./~/x.mp3: {said}"
