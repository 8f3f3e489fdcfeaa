"""Plotly animation controls shared by every animated figure: Play/Pause and a step slider.

Animations play in the browser (plotly frames), never on the server, and never autoplay.
"""

from __future__ import annotations

import base64

import numpy as np

MAX_FRAMES = 100


def typed(values: np.ndarray, dtype: str = "f4") -> dict:
    """An array as plotly's typed-array spec {"dtype", "bdata"} (little-endian base64).

    Frames built from these are cheap for plotly to validate and copy (strings, not
    thousands of small ndarrays), which keeps st.plotly_chart's per-rerun to_dict() fast.
    """
    array = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def frame_indices(count: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """At most max_frames indices from 0 to count - 1, evenly spread, first and last kept."""
    if count <= max_frames:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, max_frames).round().astype(int))


def play_controls(
    frame_names: list[str], prefix: str, active: int = 0, duration_ms: int = 120
) -> dict:
    """Layout entries (updatemenus, sliders) for Play/Pause and a slider over the frames.

    The slider spans the full width under the buttons (side by side they overlap on a
    phone); the figure's bottom margin grows to hold both."""
    step_args = dict(mode="immediate", frame=dict(duration=0, redraw=True),
                     transition=dict(duration=0))
    return dict(
        updatemenus=[dict(
            type="buttons", direction="left", showactive=False,
            x=0.0, y=-0.3, xanchor="left", yanchor="top", pad=dict(t=0, r=10),
            buttons=[
                dict(label="▶ Play", method="animate",
                     args=[None, dict(frame=dict(duration=duration_ms, redraw=True),
                                      transition=dict(duration=0), fromcurrent=False,
                                      mode="immediate")]),
                dict(label="❚❚ Pause", method="animate", args=[[None], step_args]),
            ],
        )],
        sliders=[dict(
            active=active, x=0.0, len=1.0, y=-0.3, yanchor="top",
            currentvalue=dict(prefix=prefix, visible=True),
            pad=dict(t=48, b=0),
            steps=[dict(label=name, method="animate", args=[[name], step_args])
                   for name in frame_names],
        )],
    )
