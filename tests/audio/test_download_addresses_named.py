"""The addresses a failed weight download names: a proxy's as urllib reads it and never with
its password, a mirror's base whose port is no number as no valid web address, and a proxy
whose port is no number as the proxy's fault, not the mirror's."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from musicsage.audio.download import unreachable, without_credentials
from musicsage.audio.musicnn import wheel as W

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_set(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.mark.parametrize("address, shown", [
    ("http://alice:s3cret@proxy:3128/p@th", "http://proxy:3128"),
    ("http://alice:s3cret@proxy:3128", "http://proxy:3128"),
    ("http://alice:s3c@ret@proxy:3128/", "http://proxy:3128"),
    ("http://alice:s3/cret@proxy:3128", "http://proxy:3128"),
    ("http://proxy:3128/", "http://proxy:3128"),
    ("alice:s3cret@proxy:3128", "proxy:3128"),
])
def test_a_proxy_is_shown_at_the_host_urllib_uses_without_its_password(address, shown):
    assert without_credentials(address) == shown
    assert shown.endswith(urllib.request._parse_proxy(address)[3])  # where urllib connects
    assert "s3" not in shown and "alice" not in shown


def test_a_path_with_an_at_sign_does_not_hide_the_proxy(monkeypatch):
    """``http://alice:s3cret@proxy:3128/p@th`` was shown as ``http://th``."""
    monkeypatch.setenv("https_proxy", "http://alice:s3cret@proxy.example:3128/p@th")
    text = unreachable("https://github.com/marl/openl3",
                       urllib.error.URLError(ConnectionRefusedError("Connection refused")))
    assert "through the proxy http://proxy.example:3128 set in $https_proxy" in text, text
    assert "s3cret" not in text and "alice" not in text, text


# Run in a child process: urllib builds its opener, and reads the proxy settings, once per
# process; one built before these tests with a proxy the machine sets (as CI may) sends the
# request through it, and the bad port is never read here.
DOWNLOADS = """
import sys
from pathlib import Path
from musicsage.audio.musicnn import wheel
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights
out, listed = Path(sys.argv[1]), sys.argv[2:]
fetches = [lambda: wheel.download_wheel(out / "m", timeout=5)]
if listed:  # the index answers, listing the wheel at this address
    wheel._fetch_json = lambda _url, _timeout, _cancel=None: {"urls": [
        {"filename": wheel.WHEEL_NAME, "url": listed[0], "digests": {}}]}
else:
    fetches.insert(0, lambda: download_weights(parse_variant(None), out / "o", timeout=5))
for fetch in fetches:
    try:
        fetch()
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def _failures(env: dict[str, str], tmp_path: Path, *listed: str) -> list[str]:
    """The lines of :data:`DOWNLOADS` run in a child with ``env`` alone, no proxy but its own:
    both downloads' (the OpenL3 weights', the wheel's), or the wheel's alone when the index
    lists it at ``listed``."""
    done = subprocess.run([sys.executable, "-c", DOWNLOADS, str(tmp_path), *listed],
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
                          capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).parents[2]))
    lines = done.stdout.splitlines()
    assert len(lines) == (1 if listed else 2), done.stdout + done.stderr
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []
    assert not (tmp_path / "m" / W.WHEEL_NAME).exists()
    return lines


def _mirrors(base: str) -> dict[str, str]:
    return {"MUSICSAGE_OPENL3_URL_BASE": f"{base}/openl3/", "MUSICSAGE_PYPI_URL": f"{base}/pypi"}


def test_a_mirror_base_with_a_port_that_is_no_number_is_named(tmp_path):
    """``http.client.InvalidURL`` is an HTTPException: it was worded "the answer was not HTTP
    …, a network that wants a login first?", though no network was asked anything."""
    lines = _failures(_mirrors("http://mirror.local:abc"), tmp_path)
    for line, variable in zip(lines, ("$MUSICSAGE_OPENL3_URL_BASE", "$MUSICSAGE_PYPI_URL")):
        assert f"{variable} is no valid web address (nonnumeric port: 'abc')" in line, line
        assert "not HTTP" not in line and "login" not in line, line


@pytest.mark.parametrize("scheme, variable, address, shown", [
    ("http", "http_proxy", "http://alice:s3cret@proxy.example:abc", "http://proxy.example:abc"),
    ("https", "https_proxy", "alice:s3cret@proxy.example:abc/", "proxy.example:abc/"),
])
def test_a_proxy_port_that_is_no_number_is_blamed_on_the_proxy(tmp_path, scheme, variable,
                                                               address, shown):
    """``http_proxy=http://proxy:abc`` with a good mirror said "$MUSICSAGE_OPENL3_URL_BASE is
    no valid web address": the user fixed the mirror that was fine."""
    lines = _failures({variable: address, **_mirrors(f"{scheme}://mirror.local")}, tmp_path)
    for line in lines:
        assert (f"the proxy {shown} set in ${variable} is no valid web address (nonnumeric "
                f"port: '{shown.rpartition(':')[2]}'): fix or unset {variable}") in line, line
        assert "MUSICSAGE" not in line and "s3cret" not in line and "alice" not in line, line


def test_an_https_mirror_port_that_is_no_number_is_not_blamed_on_a_good_proxy(tmp_path):
    """Through a proxy, an https mirror's port is read for the tunnel: the same InvalidURL, and
    the mirror's."""
    lines = _failures({"https_proxy": "http://127.0.0.1:9",
                       **_mirrors("https://mirror.local:abc")}, tmp_path)
    for line, variable in zip(lines, ("$MUSICSAGE_OPENL3_URL_BASE", "$MUSICSAGE_PYPI_URL")):
        assert f"{variable} is no valid web address (nonnumeric port: 'abc')" in line, line
        assert "proxy" not in line, line


def test_an_index_listing_a_wheel_at_no_valid_address_names_it(tmp_path):
    listed = "http://files.mirror.local:abc/musicnn.whl"
    [line] = _failures({}, tmp_path, listed)
    assert f"{listed} is no valid web address (nonnumeric port: 'abc')" in line, line
    assert "not HTTP" not in line, line


def test_a_listed_wheel_through_a_proxy_port_that_is_no_number_blames_the_proxy(tmp_path):
    """The wheel's own address, listed by the index, goes through ``http_proxy``: its bad
    port was said as the listed address being no valid web address."""
    listed = "http://files.mirror.local/musicnn.whl"
    [line] = _failures({"http_proxy": "http://proxy.example:abc"}, tmp_path, listed)
    assert ("the proxy http://proxy.example:abc set in $http_proxy is no valid web address "
            "(nonnumeric port: 'abc'): fix or unset http_proxy") in line, line
    assert f"{listed} is no valid" not in line, line
