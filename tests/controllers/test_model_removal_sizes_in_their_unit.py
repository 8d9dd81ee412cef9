"""Remove older models… names what the models hold on disk: a size just under a unit's next
read "1000.0 KB" (rounded in the smaller unit) instead of "1.0 MB"."""

from __future__ import annotations

import pytest

from musicsage.controllers.models import size_text


@pytest.mark.parametrize("n_bytes, said", [(0, "0 bytes"), (999, "999 bytes"),
                                           (1_000, "1.0 KB"), (999_940, "999.9 KB"),
                                           (999_960, "1.0 MB"), (12_345_678, "12.3 MB"),
                                           (999_999_999, "1.0 GB"), (2_500_000_000, "2.5 GB")])
def test_a_size_is_said_in_the_unit_its_rounded_figure_fits(n_bytes, said):
    assert size_text(n_bytes) == said
