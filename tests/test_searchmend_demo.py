"""The command `demo` ends with, that opens the window on the demo library."""

from __future__ import annotations

import sys

import musicsage
from musicsage.commands.graph import _window_command


def test_an_installed_package_is_opened_with_dash_m_even_beside_a_main_py(tmp_path,
                                                                          monkeypatch):
    """Installed, the folder above the package is site-packages: another project's main.py
    there was printed as musicsage's."""
    site = tmp_path / "site-packages"
    (site / "musicsage").mkdir(parents=True)
    (site / "main.py").write_text("print('someone else')\n")
    monkeypatch.setattr(musicsage, "__file__", str(site / "musicsage" / "__init__.py"))
    command = _window_command(tmp_path / "demo")
    assert command.split()[:3] == [sys.executable, "-m", "musicsage"]
    (site / "pyproject.toml").write_text("[project]\nname = 'musicsage'\n")  # a checkout
    assert _window_command(tmp_path / "demo").split()[1] == str(site / "main.py")
