"""Read a plotly data array back as an ndarray, whether plain or a typed-array spec."""

import base64

import numpy as np


def values(data) -> np.ndarray:
    """ndarray of a trace property: a list, an ndarray, or {"dtype", "bdata"[, "shape"]}."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]),
                              dtype=np.dtype(data["dtype"]).newbyteorder("<"))
        shape = data.get("shape")
        return array.reshape([int(s) for s in str(shape).split(",")]) if shape else array
    return np.asarray(data, dtype=float)
