"""The addresses a failed weight download names: a proxy's as urllib reads it and never with
its password, and a mirror's base whose port is no number as no valid web address."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from musicsage.audio.download import unreachable, without_credentials
from musicsage.audio.embedder import MissingWeights
from musicsage.audio.musicnn import wheel as W
from musicsage.audio.openl3.variants import parse_variant
from musicsage.audio.openl3.weights import download_weights

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


def test_a_mirror_base_with_a_port_that_is_no_number_is_named(tmp_path, monkeypatch):
    """``http.client.InvalidURL`` is an HTTPException: it was worded "the answer was not HTTP
    …, a network that wants a login first?", though no network was asked anything."""
    monkeypatch.setenv("MUSICSAGE_OPENL3_URL_BASE", "http://mirror.local:abc/openl3/")
    monkeypatch.setenv("MUSICSAGE_PYPI_URL", "http://mirror.local:abc/pypi")
    with pytest.raises(MissingWeights) as openl3:
        download_weights(parse_variant(None), tmp_path / "o")
    with pytest.raises(MissingWeights) as musicnn:
        W.download_wheel(tmp_path / "m")
    for caught, variable in ((openl3, "$MUSICSAGE_OPENL3_URL_BASE"),
                             (musicnn, "$MUSICSAGE_PYPI_URL")):
        text = str(caught.value)
        assert f"{variable} is no valid web address (nonnumeric port: 'abc')" in text, text
        assert "not HTTP" not in text and "login" not in text and "\n" not in text, text
    assert list((tmp_path / "o").iterdir()) == []
    assert not (tmp_path / "m" / W.WHEEL_NAME).exists()


def test_an_index_listing_a_wheel_at_no_valid_address_names_it(tmp_path, monkeypatch):
    listed = "http://files.mirror.local:abc/musicnn.whl"
    monkeypatch.setattr(W, "_fetch_json", lambda _url, _timeout: {
        "urls": [{"filename": W.WHEEL_NAME, "url": listed, "digests": {}}]})
    with pytest.raises(MissingWeights) as caught:
        W.download_wheel(tmp_path)
    text = str(caught.value)
    assert f"{listed} is no valid web address (nonnumeric port: 'abc')" in text, text
    assert "not HTTP" not in text and "\n" not in text, text
    assert not (tmp_path / W.WHEEL_NAME).exists()
