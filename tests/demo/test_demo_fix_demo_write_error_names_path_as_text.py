"""A demo track that cannot be written names its path as text: every track was opened by
its bytes (for folders named in bytes that are not UTF-8), so libsndfile's error — the
one line the user sees — said ``b'/…/Caf\\xc3\\xa9 Noir/…'``. Bytes go only where the name
cannot be text (test_demo_folder_not_named_in_utf8)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from musicsage.demo.library import encode_audio, write_error


def test_a_failed_write_names_the_folder_as_the_user_wrote_it(tmp_path):
    folder = tmp_path / "Café Noir"
    folder.mkdir()
    target = folder / "gone" / ".01 Été.flac.part"  # its folder is missing: cannot be opened

    with pytest.raises(sf.LibsndfileError) as failed:
        encode_audio(target, np.zeros(100, "float32"), 22050, "flac")

    said = str(write_error(folder, failed.value, target.parent))
    assert str(target) in said and "\\x" not in said, said
