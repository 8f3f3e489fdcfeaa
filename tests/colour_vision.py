"""Colour science for the chart tests: WCAG contrast, colour-vision-deficiency simulation and
CIELAB colour difference, written from their definitions (independent of the app's palette).

- Relative luminance and contrast ratio: WCAG 2.1 (sRGB transfer function, Rec. 709 weights).
- Dichromacy: Machado, Oliveira & Fernandes (2009), severity 1.0 matrices, applied to linear
  sRGB, as browsers' developer tools simulate it.
- Colour difference: CIE 1976 ΔE*ab, via CIE XYZ (D65) and CIELAB.
"""

from __future__ import annotations

import re

import numpy as np

# Backgrounds of Streamlit's charts in its light and dark themes.
LIGHT_BACKGROUND = "#FFFFFF"
DARK_BACKGROUND = "#0E1117"

MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
_SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                         [0.2126729, 0.7151522, 0.0721750],
                         [0.0193339, 0.1191920, 0.9503041]])
_D65_WHITE = _SRGB_TO_XYZ @ np.ones(3)
_RGBA = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")


def parse(colour: str, background: str | None = None) -> np.ndarray:
    """An sRGB colour ("#RRGGBB", "rgb(r, g, b)" or "rgba(r, g, b, a)") as 3 floats in
    [0, 1]; a translucent one is composited over ``background`` (required then)."""
    if colour.startswith("#") and len(colour) == 7:
        return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    match = _RGBA.fullmatch(colour.strip())
    if match is None:
        raise ValueError(f"not an sRGB colour: {colour!r}")
    rgb = np.array([float(match.group(i)) for i in (1, 2, 3)]) / 255
    alpha = float(match.group(4)) if match.group(4) is not None else 1.0
    if alpha < 1.0:
        if background is None:
            raise ValueError(f"{colour!r} is translucent: give the background it lies on")
        rgb = alpha * rgb + (1 - alpha) * parse(background)
    return rgb


def linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] -> linear light (the sRGB transfer function, inverted)."""
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def luminance(colour: str, background: str | None = None) -> float:
    """WCAG relative luminance."""
    return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(parse(colour, background)))


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of a colour drawn on ``background``, from 1 to 21."""
    high, low = sorted((luminance(colour, background), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """Linear sRGB -> CIELAB (D65)."""
    t = (_SRGB_TO_XYZ @ linear_rgb) / _D65_WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, vision: str | None = None, background: str | None = None) -> np.ndarray:
    """The CIELAB colour that a reader with ``vision`` (a key of MACHADO_2009; None: typical
    vision) sees (a translucent colour: over ``background``)."""
    light = linear(parse(colour, background))
    if vision is not None:
        light = np.clip(MACHADO_2009[vision] @ light, 0.0, 1.0)
    return lab(light)


def delta_e(first: str, second: str, vision: str | None = None,
            background: str | None = None) -> float:
    """CIE 1976 colour difference ΔE*ab between two colours as ``vision`` sees them (over
    ``background`` where translucent)."""
    return float(np.linalg.norm(seen(first, vision, background)
                                - seen(second, vision, background)))
