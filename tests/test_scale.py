"""The red → gray → blue colour scale."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.scale import (
    MISSING_RGB,
    PALETTE,
    PALETTE_16,
    TEXT_PALETTE,
    ColourScale,
    colours_at,
    oklab,
    text_colour,
)


def test_ends_are_red_and_blue_and_the_middle_is_a_true_gray():
    low, middle, high = ColourScale().rgb(np.array([0.0, 0.5, 1.0]))

    assert low[0] > 150 and low[2] < 100
    assert high[2] > 150 and high[0] < 100
    assert max(middle) - min(middle) <= 1
    a, b = oklab(middle)[1:]
    assert abs(a) < 0.005 and abs(b) < 0.005


def test_equal_value_steps_are_equal_colour_steps():
    lab = oklab(colours_at(np.linspace(0.0, 1.0, 21)))
    steps = np.linalg.norm(np.diff(lab, axis=0), axis=1)

    assert np.ptp(steps) < 0.01
    assert abs(steps[:10].sum() - steps[10:].sum()) < 0.01
    assert np.linalg.norm(np.diff(oklab(PALETTE), axis=0), axis=1).max() < 0.006


def test_default_range_is_zero_to_one_for_accuracies():
    scale = ColourScale.for_values(np.array([[0.2, 0.9], [np.nan, 0.5]]))

    assert (scale.vmin, scale.vmax) == (0.0, 1.0)


def test_default_range_is_the_data_range_otherwise():
    scale = ColourScale.for_values(np.array([[3.0, 40.0], [-2.0, np.inf]]))

    assert (scale.vmin, scale.vmax) == (-2.0, 40.0)


def test_explicit_limits_and_centre():
    scale = ColourScale.for_values(np.array([[0.0, 10.0]]), vmax=5.0, center=1.0)

    assert (scale.vmin, scale.vmax, scale.center) == (0.0, 5.0, 1.0)
    t = scale.positions(np.array([0.0, 1.0, 3.0, 5.0, 9.0]))
    assert t.tolist() == [0.0, 0.5, 0.75, 1.0, 1.0]


def test_centre_outside_the_data_widens_the_range():
    scale = ColourScale.for_values(np.array([[2.0, 3.0]]), center=0.0)

    assert scale.vmin == 0.0


def test_vmin_above_vmax_is_refused():
    with pytest.raises(ValueError, match="above"):
        ColourScale(2.0, 1.0)


def test_missing_cells_get_their_own_marking():
    colours = ColourScale().rgb(np.array([np.nan, 0.5]))

    assert tuple(colours[0]) == MISSING_RGB
    assert tuple(colours[1]) != MISSING_RGB


def test_infinities_clip_to_the_ends():
    scale = ColourScale()

    t = scale.positions(np.array([-np.inf, np.inf]))

    assert t.tolist() == [0.0, 1.0]


def test_constant_range_is_gray_without_division_by_zero():
    scale = ColourScale.for_values(np.array([[7.0, 7.0]]))

    with np.errstate(all="raise"):
        t = scale.positions(np.array([7.0, 6.0, 8.0]))

    assert t.tolist() == [0.5, 0.0, 1.0]
    assert scale.ticks() == [7.0]


def test_huge_range_does_not_overflow():
    scale = ColourScale.for_values(np.array([[-1e308, 1e308]]))

    with np.errstate(all="raise"):
        t = scale.positions(np.array([-1e308, 0.0, 1e308]))

    assert t.tolist() == [0.0, 0.5, 1.0]


def test_text_colour_contrasts_with_the_background():
    assert text_colour((255, 255, 255)) == (0, 0, 0)
    assert text_colour((0, 0, 0)) == (255, 255, 255)
    assert tuple(TEXT_PALETTE[0]) == (255, 255, 255)


def test_sixteen_colour_bands_cover_the_scale():
    bands = PALETTE_16.band_of(np.array([0.0, 0.3, 0.5, 0.7, 1.0, np.nan]))

    assert bands.tolist() == [0, 1, 2, 3, 4, -1]


def test_ticks_are_the_ends_and_the_middle():
    assert ColourScale().ticks() == [0.0, 0.5, 1.0]
    assert ColourScale(0.0, 10.0, center=2.0).ticks() == [0.0, 2.0, 10.0]


@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_any_finite_value_gets_a_colour_inside_the_scale(values, probe):
    data = np.array(values)
    scale = ColourScale.for_values(data)

    t = scale.positions(np.array([*values, probe]))
    colours = scale.rgb(np.array([*values, probe]))

    assert np.all((t >= 0) & (t <= 1))
    palette = {tuple(c) for c in PALETTE}
    assert all(tuple(c) in palette for c in colours)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_positions_never_decrease_with_the_value(a, b):
    scale = ColourScale(-100.0, 100.0, center=10.0)
    low, high = sorted((a, b))

    t_low, t_high = scale.positions(np.array([low, high]))

    assert t_low <= t_high
    assert not math.isnan(t_low)
