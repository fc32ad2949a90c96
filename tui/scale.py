"""The red → gray → blue colour scale, shared by the terminal and the SVG.

Colours are interpolated in OKLab, so equal steps in value look like equal
steps in colour, and the midpoint is a true gray (no hue at all). Values are
first mapped to a position `t` in [0, 1] (0 red, 0.5 gray, 1 blue), then to
one of `LEVELS` precomputed colours, which keeps every path vectorised and
every output identical between the terminal and the SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from tui.overview import summarise

LEVELS = 256
"""How many distinct colours the true-colour scale has."""

MISSING_RGB = (52, 52, 60)
"""The neutral marking of a missing cell: darker than any colour of the scale."""

SHADES = " ░▒▓█"
"""Shade characters from low to high, for terminals without colour."""

# OKLCh of the two ends and the gray middle; red and blue are placed at the
# same lightness and chroma so both halves of the scale are equally long.
_RED_LCH = (0.56, 0.19, 24.0)
_BLUE_LCH = (0.56, 0.19, 258.0)
_GRAY_L = 0.70


def _lch_to_lab(lightness: float, chroma: float, hue: float) -> np.ndarray:
    angle = math.radians(hue)
    return np.array([lightness, chroma * math.cos(angle), chroma * math.sin(angle)])


def _oklab_to_linear(lab: np.ndarray) -> np.ndarray:
    """OKLab (..., 3) to linear sRGB (..., 3)."""
    lightness, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    long, medium, short = l_**3, m_**3, s_**3
    red = 4.0767416621 * long - 3.3077115913 * medium + 0.2309699292 * short
    green = -1.2684380046 * long + 2.6097574011 * medium - 0.3413193965 * short
    blue = -0.0041960863 * long - 0.7034186147 * medium + 1.7076147010 * short
    return np.stack([red, green, blue], axis=-1)


def _linear_to_oklab(rgb: np.ndarray) -> np.ndarray:
    """Linear sRGB (..., 3) to OKLab (..., 3)."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    long = 0.4122214708 * red + 0.5363031944 * green + 0.0514459929 * blue
    medium = 0.2119034982 * red + 0.6806995451 * green + 0.1073969566 * blue
    short = 0.0883024619 * red + 0.2817188376 * green + 0.6299787005 * blue
    l_, m_, s_ = np.cbrt(long), np.cbrt(medium), np.cbrt(short)
    return np.stack(
        [
            0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
        ],
        axis=-1,
    )


def _encode(linear: np.ndarray) -> np.ndarray:
    """Linear sRGB in [0, 1] to 8-bit sRGB."""
    linear = np.clip(linear, 0.0, 1.0)
    encoded = np.where(
        linear <= 0.0031308,
        12.92 * linear,
        1.055 * np.power(linear, 1 / 2.4) - 0.055,
    )
    return np.round(encoded * 255).astype(np.uint8)


def _decode(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB to linear sRGB in [0, 1]."""
    encoded = np.asarray(rgb, dtype=np.float64) / 255
    return np.where(
        encoded <= 0.04045, encoded / 12.92, ((encoded + 0.055) / 1.055) ** 2.4
    )


def oklab(rgb: np.ndarray) -> np.ndarray:
    """OKLab coordinates of 8-bit sRGB colours, for measuring differences."""
    return _linear_to_oklab(_decode(rgb))


def colours_at(t: np.ndarray) -> np.ndarray:
    """8-bit sRGB colours (..., 3) at scale positions `t` in [0, 1]."""
    t = np.clip(np.asarray(t, dtype=np.float64), 0.0, 1.0)[..., None]
    red = _lch_to_lab(*_RED_LCH)
    gray = np.array([_GRAY_L, 0.0, 0.0])
    blue = _lch_to_lab(*_BLUE_LCH)

    low = red + (gray - red) * (t * 2)
    high = gray + (blue - gray) * (t * 2 - 1)
    lab = np.where(t <= 0.5, low, high)
    return _encode(_oklab_to_linear(lab))


PALETTE: np.ndarray = colours_at(np.linspace(0.0, 1.0, LEVELS))
"""The `LEVELS` colours of the scale as a (LEVELS, 3) uint8 array."""


def _luminance(rgb: np.ndarray) -> np.ndarray:
    linear = _decode(rgb)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def text_colours(rgb: np.ndarray) -> np.ndarray:
    """Black or white for text on each background, whichever contrasts more.

    Uses the WCAG contrast ratio of the actual background colour, so the
    choice holds for any colour, not just those of this scale.
    """
    luminance = _luminance(np.asarray(rgb))
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    white = np.array([255, 255, 255], dtype=np.uint8)
    black = np.array([0, 0, 0], dtype=np.uint8)
    return np.where((on_white >= on_black)[..., None], white, black)


def text_colour(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The text colour (black or white) for one background colour."""
    chosen = text_colours(np.array(rgb, dtype=np.uint8))
    return (int(chosen[0]), int(chosen[1]), int(chosen[2]))


TEXT_PALETTE: np.ndarray = text_colours(PALETTE)
"""The text colour for each colour of `PALETTE`."""

MISSING_TEXT_RGB = text_colour(MISSING_RGB)


def _halve(value: float) -> float:
    return value / 2


@dataclass(frozen=True)
class ColourScale:
    """Maps values to positions on the scale and to colours.

    Below `vmin` is full red, above `vmax` full blue. With a `center`, values
    below it use the red half and values above it the blue half, each
    stretched over its own side of the range.
    """

    vmin: float = 0.0
    vmax: float = 1.0
    center: float | None = None

    def __post_init__(self) -> None:
        for name in ("vmin", "vmax"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number")
        if self.center is not None and not math.isfinite(self.center):
            raise ValueError("center must be a finite number")
        if self.vmin > self.vmax:
            raise ValueError(f"vmin ({self.vmin:g}) is above vmax ({self.vmax:g})")

    @classmethod
    def for_values(
        cls,
        values: np.ndarray,
        *,
        vmin: float | None = None,
        vmax: float | None = None,
        center: float | None = None,
    ) -> ColourScale:
        """The scale for a matrix: 0..1 when every value lies in [0, 1].

        Otherwise the finite data's own range. Explicit limits win; a
        `center` outside the range widens the range to include it.
        """
        array = np.asarray(values)
        if array.ndim != 2:
            array = array.reshape(-1, 1)
        summary = summarise(array)
        if summary.low is None or summary.high is None:
            low, high = 0.0, 1.0
        else:
            low, high = summary.low, summary.high
            if low >= 0.0 and high <= 1.0:
                low, high = 0.0, 1.0

        low = low if vmin is None else float(vmin)
        high = high if vmax is None else float(vmax)
        if vmin is None and vmax is not None and low > high:
            low = high
        if vmax is None and vmin is not None and high < low:
            high = low
        if center is not None:
            if vmin is None:
                low = min(low, center)
            if vmax is None:
                high = max(high, center)
        return cls(low, high, center)

    @property
    def middle(self) -> float:
        """The value drawn as pure gray."""
        if self.center is not None:
            return self.center
        return _halve(self.vmin) + _halve(self.vmax)

    def positions(self, values: np.ndarray) -> np.ndarray:
        """Scale positions in [0, 1] for `values`; NaN stays NaN."""
        values = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            if self.center is None:
                return self._stretch(values, self.vmin, self.vmax, 0.0, 1.0)
            below = self._stretch(values, self.vmin, self.center, 0.0, 0.5)
            above = self._stretch(values, self.center, self.vmax, 0.5, 1.0)
            return np.where(values <= self.center, below, above)

    @staticmethod
    def _stretch(
        values: np.ndarray, low: float, high: float, start: float, stop: float
    ) -> np.ndarray:
        """Map [low, high] linearly onto [start, stop], clipping outside."""
        span = _halve(high) - _halve(low)
        if span <= 0 or not math.isfinite(span):
            flat = np.where(values < low, start, stop)
            if high == low:
                flat = np.where(values < low, start, (start + stop) / 2)
                flat = np.where(values > high, stop, flat)
            return np.where(np.isnan(values), np.nan, flat)
        share = (values / 2 - _halve(low)) / span
        share = np.clip(share, 0.0, 1.0)
        return start + share * (stop - start)

    def levels(self, values: np.ndarray, count: int = LEVELS) -> np.ndarray:
        """Level indices 0..count-1 for `values`; -1 marks a missing value."""
        t = self.positions(values)
        missing = np.isnan(t)
        index = np.rint(np.where(missing, 0.0, t) * (count - 1)).astype(np.int16)
        index[missing] = -1
        return index

    def rgb(self, values: np.ndarray) -> np.ndarray:
        """8-bit sRGB colours (..., 3) for `values`; missing gets `MISSING_RGB`."""
        index = self.levels(values)
        colours = PALETTE[np.maximum(index, 0)]
        colours[index < 0] = MISSING_RGB
        return colours

    def colour_of(self, value: float) -> tuple[int, int, int]:
        """The colour of one value."""
        red, green, blue = self.rgb(np.array([value]))[0]
        return (int(red), int(green), int(blue))

    def ticks(self) -> list[float]:
        """The values to label on a colour bar: the ends and the middle."""
        if self.vmin == self.vmax:
            return [self.vmin]
        return [self.vmin, self.middle, self.vmax]


def xterm_256_rgb() -> np.ndarray:
    """The 240 fixed colours of the xterm 256-colour palette (16..255)."""
    steps = [0, 95, 135, 175, 215, 255]
    cube = [(r, g, b) for r in steps for g in steps for b in steps]
    grays = [(8 + 10 * i,) * 3 for i in range(24)]
    return np.array(cube + grays, dtype=np.uint8)


@dataclass(frozen=True)
class ReducedPalette:
    """A scale cut into bands for terminals with few colours.

    Attributes:
        codes: the terminal's colour number for each band, low to high.
        rgb: the colour each band stands for, for drawing a matching legend.
    """

    codes: tuple[int, ...]
    rgb: tuple[tuple[int, int, int], ...]

    @property
    def bands(self) -> int:
        return len(self.codes)

    def band_of(self, t: np.ndarray) -> np.ndarray:
        """Band indices for scale positions; -1 marks a missing value."""
        t = np.asarray(t, dtype=np.float64)
        missing = np.isnan(t)
        index = np.floor(np.where(missing, 0.0, t) * self.bands).astype(np.int16)
        index = np.clip(index, 0, self.bands - 1)
        index[missing] = -1
        return index


def _scale_position(lab: np.ndarray) -> np.ndarray:
    """Where colours (..., 3 OKLab) sit on the scale, judged by hue and chroma.

    A colour's chroma towards the red end counts down from the gray middle
    (0.5) to 0, its chroma towards the blue end up to 1; lightness is ignored,
    because the xterm palette offers too few lightnesses to follow the scale's.
    """
    red, blue = _lch_to_lab(*_RED_LCH)[1:], _lch_to_lab(*_BLUE_LCH)[1:]
    redness = lab[..., 1:] @ red / (red @ red)
    blueness = lab[..., 1:] @ blue / (blue @ blue)
    towards_red = 0.5 - 0.5 * np.clip(redness, 0.0, 1.0)
    towards_blue = 0.5 + 0.5 * np.clip(blueness, 0.0, 1.0)
    return np.round(np.where(redness >= blueness, towards_red, towards_blue), 4)


def _on_the_scale(lab: np.ndarray, tolerance: float = 40.0) -> np.ndarray:
    """Which colours are near-grays or have a hue close to red's or blue's."""
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1])) % 360
    near = np.zeros(len(lab), dtype=bool)
    for end in (_RED_LCH[2], _BLUE_LCH[2]):
        near |= np.abs((hue - end + 180) % 360 - 180) <= tolerance
    return near | (chroma < 0.02)


@cache
def palette_256(bands: int = 21) -> ReducedPalette:
    """The scale in xterm's 256 colours, as `bands` distinct steps.

    Textual's own downsampling collapses the scale to about a dozen colours.
    Here the bands are chosen together, by dynamic programming over the xterm
    colours whose hue belongs to the scale: each band is matched in OKLab to
    the scale's colour at its place, every band sits strictly further along
    the scale (by hue and chroma) than the one before, so the steps never
    turn back, and a lightness that turns against the scale's is penalised.
    """
    fixed = xterm_256_rgb()
    allowed = np.flatnonzero(_on_the_scale(oklab(fixed)))
    lab = oklab(fixed[allowed])
    position, lightness = _scale_position(lab), lab[:, 0]
    if not 1 <= bands <= len(np.unique(position)):
        raise ValueError(f"the 256 colours hold 1 to {len(np.unique(position))} bands")
    places = np.linspace(0.0, 1.0, bands)
    wanted = oklab(colours_at(places))
    cost = ((lab[:, None, :] - wanted[None, :, :]) ** 2).sum(axis=-1)

    total = cost[:, 0].copy()
    came_from: list[np.ndarray] = []
    onward = position[None, :] > position[:, None]
    for band in range(1, bands):
        rise = lightness[None, :] - lightness[:, None]
        against = np.maximum(-rise if places[band] <= 0.5 else rise, 0.0)
        step = np.where(onward, total[:, None] + 3.0 * against**2, np.inf)
        best = step.argmin(axis=0)
        came_from.append(best)
        total = step[best, np.arange(len(lab))] + cost[:, band]

    chosen = [int(total.argmin())]
    for best in reversed(came_from):
        chosen.append(int(best[chosen[-1]]))
    picks = [int(allowed[index]) for index in reversed(chosen)]
    codes = tuple(16 + pick for pick in picks)
    rgb = tuple(tuple(int(c) for c in fixed[pick]) for pick in picks)
    return ReducedPalette(codes, rgb)  # type: ignore[arg-type]


PALETTE_16 = ReducedPalette(
    codes=(1, 9, 7, 12, 4),
    rgb=((170, 0, 0), (255, 85, 85), (170, 170, 170), (85, 85, 255), (0, 0, 170)),
)
"""Five bands in the 16 ANSI colours: red, light red, gray, light blue, blue."""
