"""The autoencoder page's figure builders as pure functions: traces, frames, axes, payload."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core import autoencoder
from core.autoencoder_analysis import analyse
from core.datasets import load_dataset
from views.autoencoder_pca import figures
from tests.plotly_data import sent, values


@pytest.fixture(scope="module")
def runs():
    return {
        name: analyse(load_dataset(name), k, iterations=1500)
        for name, k in (("gaussian3d", 2), ("digits", 5), ("iris", 2))
    }



def assert_animation(figure: go.Figure, iterations: np.ndarray, prefix: str) -> None:
    shown = sent(figure)
    names = [frame.name for frame in shown.frames]
    assert names == [str(int(t)) for t in iterations] and len(names) <= 100
    slider = shown.layout.sliders[0]
    assert slider.active == len(names) - 1  # opens on the trained state
    assert slider.currentvalue.prefix == prefix
    labels = [b.label for b in shown.layout.updatemenus[0].buttons]
    assert any("Play" in label for label in labels) and any("Pause" in label for label in labels)
    assert shown.layout.title.text


def assert_no_lists(figure: go.Figure) -> None:
    """Frames' arrays reach the browser as typed arrays (base64), never Python lists."""
    for frame in figure.to_dict()["frames"]:
        for trace in frame["data"]:
            for name in ("x", "y", "z"):
                value = trace.get(name)
                assert value is None or "bdata" in value, (name, type(value))


@pytest.mark.parametrize("k", [1, 2])
def test_subspace_scene(k):
    X = load_dataset("gaussian3d")
    result = analyse(X, k, iterations=1500)
    fit, ref = result.fit, result.reference
    figure = figures.subspace_scene(X, autoencoder.snapshot_reconstructions(fit, X[:50]),
                                    fit.history.W_dec, ref.mean, ref.basis, fit.history.iteration)
    shown = sent(figure)
    assert_animation(figure, fit.history.iteration, "iteration t = ")
    assert_no_lists(figure)
    expected = "scatter3d" if k == 1 else "mesh3d"
    assert shown.data[2].type == expected and shown.frames[0].data[0].type == expected
    assert shown.layout.uirevision  # the camera survives reruns
    ranges = [shown.layout.scene[a].range for a in ("xaxis", "yaxis", "zaxis")]
    assert all(r is not None for r in ranges)
    widths = {round(r[1] - r[0], 9) for r in ranges}
    assert len(widths) == 1  # equal ranges: angles look right
    # The last frame's learned subspace is PCA's: its corners lie in the PCA plane / line.
    corners = np.column_stack([values(shown.frames[-1].data[0][a]) for a in "xyz"])
    corners -= ref.mean
    residual = corners - corners @ ref.components.T @ ref.components
    assert np.abs(residual).max() < 1e-3 * np.abs(corners).max()


def test_digit_grid(runs):
    result = runs["digits"]
    fit, ref = result.fit, result.reference
    X = result.X[:10]
    figure = figures.digit_grid(X, autoencoder.snapshot_reconstructions(fit, X),
                                ref.reconstruct(X), fit.history.iteration, 5)
    shown = sent(figure)
    assert_animation(figure, fit.history.iteration, "iteration t = ")
    assert_no_lists(figure)
    assert [t.type for t in shown.data] == ["heatmap"] * 3
    first = values(shown.data[0].z)
    assert first.shape == (8, 89) and np.isnan(first[:, 8]).all()  # one-pixel gaps
    assert np.allclose(np.nan_to_num(first[:, :8]), X[0].reshape(8, 8))
    assert all(list(frame.traces) == [1] for frame in shown.frames)  # only x~ changes


def test_projection_view(runs):
    result = runs["iris"]
    fit, ref = result.fit, result.reference
    X = result.X
    figure = figures.projection_view(X, autoencoder.snapshot_reconstructions(fit, X),
                                     ref.reconstruct(X), ref.mean, ref.basis[:2],
                                     fit.history.iteration)
    shown = sent(figure)
    assert_animation(figure, fit.history.iteration, "iteration t = ")
    assert_no_lists(figure)
    assert shown.layout.xaxis.range is not None and shown.layout.yaxis.range is not None
    assert "x̄" in shown.layout.xaxis.title.text
    last = shown.frames[-1].data[0]
    last = np.column_stack([values(last.x), values(last.y)])
    pca = np.column_stack([values(shown.data[1].x), values(shown.data[1].y)])
    assert np.abs(last - pca).max() < 1e-2 * np.abs(pca).max()


def test_training_curves_mark_the_plateau_and_use_log_axes():
    X = load_dataset("gaussian3d")
    result = analyse(X, 2, iterations=300, start="saddle", init_scale=1e-4)
    fit, ref = result.fit, result.reference
    figure = figures.training_curves(fit.loss, ref.J_star, ref.total_variance,
                                     fit.history.iteration, fit.history.angles, result.plateau)
    shown = sent(figure)
    assert shown.layout.xaxis.type == "log" and shown.layout.yaxis.type == "log"
    assert shown.layout.yaxis2.type == "log"
    assert shown.layout.xaxis.title.text and shown.layout.yaxis.title.text
    names = [t.name for t in shown.data]
    assert any("plateau" in (n or "") for n in names)
    loss = shown.data[0]
    assert values(loss.x)[0] == 1 and len(values(loss.x)) == fit.loss.shape[0] - 1
    assert np.all(values(loss.y) > 0)


def test_spectrum_marks_the_kept_eigenvalues(runs):
    ref = runs["digits"].reference
    figure = figures.spectrum(ref.eigenvalues, 5)
    shown = sent(figure)
    kept, discarded = shown.data
    assert list(values(kept.x)) == [1, 2, 3, 4, 5]
    assert np.allclose(values(kept.y), ref.eigenvalues[:5])
    # digits' zero eigenvalues are not drawn
    assert np.sum(values(discarded.y)) == pytest.approx(ref.J_star, rel=1e-6)
    assert shown.layout.yaxis.type == "log"


def test_rotation_heatmaps(runs):
    r = runs["gaussian3d"].rotation
    figure = figures.rotation_heatmaps({"a": r.raw, "b": r.projected_svd, "c": r.non_uniform})
    shown = sent(figure)
    assert [t.type for t in shown.data] == ["heatmap"] * 3
    assert all(t.zmin == 0 and t.zmax == 1 for t in shown.data)
    assert sum(bool(t.showscale) for t in shown.data) == 1
    assert shown.layout.title.text


def test_payload_of_the_largest_animation_is_small():
    X = load_dataset("digits")
    result = analyse(X, 20, iterations=3000)
    fit = result.fit
    shown = X[:: 9][:200]
    figure = figures.projection_view(shown, autoencoder.snapshot_reconstructions(fit, shown),
                                     result.reference.reconstruct(shown), result.reference.mean,
                                     result.reference.basis[:2], fit.history.iteration)
    assert len(pio.to_json(figure.to_dict(), validate=False)) < 2_000_000


def test_training_curves_draw_every_angle():
    """The k - 1 smaller angles share one trace, their curves separated by gaps."""
    iterations = np.array([0, 10, 100])
    angles = np.array([[80.0, 85.0, 89.0], [1.0, 2.0, 30.0], [1e-3, 1e-2, 0.5]])
    figure = figures.training_curves(np.linspace(3.0, 1.0, 101), 1.0, 5.0, iterations, angles)
    shown = sent(figure)
    by_name = {trace.name: trace for trace in shown.data}
    largest, others = by_name["largest angle θ<sub>max</sub>"], by_name["other angles"]
    np.testing.assert_array_equal(values(largest.x), [10, 100])
    np.testing.assert_array_equal(values(largest.y), [30.0, 0.5])
    np.testing.assert_array_equal(values(others.x), [10, 100, np.nan, 10, 100, np.nan])
    np.testing.assert_array_equal(values(others.y), [1.0, 1e-3, np.nan, 2.0, 1e-2, np.nan])
