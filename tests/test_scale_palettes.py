"""The reduced palettes: the scale's bands in xterm's 256 colours."""

import numpy as np
import pytest

from tui.scale import (
    _BLUE_LCH,
    _RED_LCH,
    _scale_position,
    colours_at,
    oklab,
    palette_256,
    xterm_256_rgb,
)


def _hue(rgb: tuple[int, int, int]) -> float:
    lab = oklab(np.array(rgb, dtype=np.uint8))
    return float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)


def _hue_gap(hue: float, target: float) -> float:
    return abs((hue - target + 180) % 360 - 180)


def test_the_default_has_21_distinct_xterm_colours():
    palette = palette_256()

    assert palette.bands == 21
    assert len(set(palette.codes)) == 21
    assert all(16 <= code <= 255 for code in palette.codes)


def test_codes_and_colours_agree_with_the_xterm_palette():
    palette = palette_256()
    fixed = xterm_256_rgb()

    for code, rgb in zip(palette.codes, palette.rgb, strict=True):
        assert tuple(int(c) for c in fixed[code - 16]) == rgb


def test_bands_run_strictly_from_red_through_gray_to_blue():
    palette = palette_256()
    lab = oklab(np.array(palette.rgb, dtype=np.uint8))

    positions = _scale_position(lab)

    assert np.all(np.diff(positions) > 0)
    assert positions[0] < 0.1
    assert positions[-1] > 0.9


def test_the_middle_band_is_a_true_gray():
    palette = palette_256()
    middle = palette.rgb[palette.bands // 2]

    assert middle[0] == middle[1] == middle[2]


def test_each_half_keeps_its_own_hue():
    palette = palette_256()
    half = palette.bands // 2

    for rgb in palette.rgb[:half]:
        assert _hue_gap(_hue(rgb), _RED_LCH[2]) <= 40
    for rgb in palette.rgb[half + 1 :]:
        assert _hue_gap(_hue(rgb), _BLUE_LCH[2]) <= 40


def test_the_ends_are_close_to_the_true_colour_ends():
    palette = palette_256()
    ends = oklab(np.array([palette.rgb[0], palette.rgb[-1]], dtype=np.uint8))
    wanted = oklab(colours_at(np.array([0.0, 1.0])))

    assert np.all(np.linalg.norm(ends - wanted, axis=-1) < 0.06)


def test_more_bands_than_the_palette_holds_are_refused():
    with pytest.raises(ValueError, match="bands"):
        palette_256(500)


def test_values_fall_into_bands_in_order():
    palette = palette_256()

    bands = palette.band_of(np.array([0.0, 0.5, 1.0, np.nan]))

    assert bands.tolist() == [0, palette.bands // 2, palette.bands - 1, -1]
