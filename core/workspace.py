"""Arrays reused from one call to the next: a training run's buffers.

A training step of the RNN lab allocates some twenty (T, N, .) arrays of 0.3-1.3 MB; fresh
ones each step cost page faults (glibc returns such blocks to the system when freed): at the
lab's largest setting, 1.0 of the LSTM's 3.5 s of CPU was system time (measured). A
Workspace hands out the same array for the same name and shape on every call, so that the
steps of one run fill the same memory. Arrays it hands out are overwritten by the next call
that asks for them: results computed in a workspace are valid until the next such call.
"""

from __future__ import annotations

import numpy as np


class Workspace:
    """name -> float64 array of a given shape, allocated on first use and reused after."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The array called name, of shape shape (uninitialised the first time)."""
        array = self._arrays.get(name)
        if array is None or array.shape != shape:
            array = self._arrays[name] = np.empty(shape)
        return array
