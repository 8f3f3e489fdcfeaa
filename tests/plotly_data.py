"""What a page sends the browser, read back: a figure through plotly's validation, a data
array as an ndarray whether plain or a typed-array spec."""

import base64

import numpy as np
import plotly.graph_objects as go


def values(data) -> np.ndarray:
    """ndarray of a trace property: a list, an ndarray, or {"dtype", "bdata"[, "shape"]}."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]),
                              dtype=np.dtype(data["dtype"]).newbyteorder("<"))
        shape = data.get("shape")
        return array.reshape([int(s) for s in str(shape).split(",")]) if shape else array
    return np.asarray(data, dtype=float)


def sent(figure) -> go.Figure:
    """The figure read back from the spec a page sends (its to_dict()), through plotly's
    validation."""
    return go.Figure(figure.to_dict())
