"""The RNN lab's cached work: the trainings, their checks, the cliff and the figures.

Here rather than in the page script (views/__init__): re-deriving their keys from source
cost ~12 ms of every rerun there (measured). All are st.cache_resource: their results are
only read, and a hit hands out the same object (st.cache_data unpickles a copy on every
hit: ~2 ms of each rerun here, measured).
"""

import contextlib

import numpy as np
import streamlit as st

from core import lstm, rnn, training
from core.blas import one_blas_thread
from core.gradcheck import relative_error
from views.frozen_figure import frozen
from views.rnn_lab import figures
from views.rnn_lab.controls import BATCH_SIZE, EVAL_SIZE, SHORT_DELAY
from views.slots import computation

CHECK_SEQUENCES = 4  # held-out sequences of the live gradient check
CHECK_ENTRIES = 3  # entries checked per parameter array (five-point differences: 4 losses each)
CURVE_SEQUENCES = 16  # held-out sequences of the truncation curve
LAST = 10  # training steps averaged for the end-of-training figures
NAMES = {"rnn": "RNN", "lstm": "LSTM"}

try:  # the flag under which Streamlit 1.67 records st calls for replay by a cache hit
    from streamlit.runtime.caching.cached_message_replay import in_cached_function
except ImportError:
    in_cached_function = None


@contextlib.contextmanager
def not_replayed():
    """st calls inside a cached function that its cache hits do not replay.

    A training's progress bar is drawn inside the cached function (a block created outside
    cannot be written to from inside); recorded, every cache hit would replay its updates
    (~20 ms of each rerun with 21 a bar, measured). Streamlit records an element only
    while its in_cached_function flag is set; without that flag (another Streamlit) the
    bar is simply recorded and replayed, ending empty.
    """
    if in_cached_function is None:
        yield
        return
    token = in_cached_function.set(False)
    try:
        yield
    finally:
        in_cached_function.reset(token)


@st.cache_resource(max_entries=24, show_spinner=False)
def train(cell, task, delay, n, opt, lr, steps, k, clip, bf, sigma, seed):
    """One training run (core.training.train) with a progress bar driven by on_step, shown
    while it trains (not replayed by a cache hit)."""
    label = f"Training the {NAMES[cell]} at D = {delay}"
    with not_replayed():
        bar = st.progress(0.0, text=label)
    every = max(1, steps // 10)

    def on_step(s, total):
        if s % every == 0 or s == total:
            with not_replayed():
                bar.progress(s / total, text=f"{label}: step {s} of {total}")

    run = training.train(
        cell, task=task, delay=delay, n_hidden=n, optimizer=opt, learning_rate=lr,
        n_steps=steps, batch_size=BATCH_SIZE, truncation=k or None, clip=clip or None,
        seed=seed, forget_bias=bf, sigma=sigma, eval_size=EVAL_SIZE, on_step=on_step)
    with not_replayed():
        bar.empty()
    return run


def train_all(settings):
    """The RNN at the short D and at D, and the LSTM at D; each cached on its own (bf only
    reaches the LSTM, sigma only the RNN, so that changing one retrains one)."""
    s = dict(settings)
    D, bf, sigma = s.pop("D"), s.pop("bf"), s.pop("sigma")
    rnn_at = lambda delay: train("rnn", delay=delay, bf=0.0, sigma=sigma, **s)  # noqa: E731
    return rnn_at(SHORT_DELAY), rnn_at(D), train("lstm", delay=D, bf=bf, sigma=1.0, **s)


@st.cache_resource(max_entries=48, show_spinner=False)  # called from diagnose only
def check_run(_run, k_check, config):
    """The truncation curve, the live gradient checks (full BPTT and window k_check) and the
    full-BPTT ratio of one trained network, and what the derivation measures on it; keyed
    on the settings that trained it (config), so that a setting that reaches one network
    re-checks that one only."""
    data, name = _run.evaluation, NAMES[_run.config["cell"]]
    sample = (data.xs[:CHECK_SEQUENCES], data.ys[:CHECK_SEQUENCES], data.mask[:CHECK_SEQUENCES])
    found = dict(
        curve=training.truncation_error_curve(
            _run.params, data.xs[:CURVE_SEQUENCES], data.ys[:CURVE_SEQUENCES],
            data.mask[:CURVE_SEQUENCES]).relative_error,
        checks={f"{name}, {kind}": training.check_batch_gradient(
                    _run.params, *sample, truncation=k, limit=CHECK_ENTRIES, seed=config["seed"])
                for k, kind in ((None, "full BPTT"), (k_check, f"truncated, k = {k_check}"))},
        ratio=full_ratio(_run))
    if name == "LSTM":
        n = training.n_hidden_of(_run.params)
        forget = lstm.lstm_forward_batch(
            _run.params, data.xs[:CURVE_SEQUENCES]).gates[:, 1:, n : 2 * n]
        return found | dict(mean_forget=float(forget.mean()),
                            survival=float(forget.prod(axis=1).mean()))
    exact = rnn.bptt(_run.params, data.xs[0], data.ys[0], mask=data.mask[0])
    seed_variant = rnn.bptt_seed_variant(_run.params, data.xs[0], data.ys[0], mask=data.mask[0])
    flow = rnn.gradient_flow(_run.params, data.xs[0], data.ys[0])
    return found | dict(
        bptt_dL_dh1=float(np.linalg.norm(exact.dL_dh[0])),
        seed_dL_dh1=float(np.linalg.norm(seed_variant.dL_dh[0])),
        seed_error=relative_error(seed_variant.dL_dh[0], exact.dL_dh[0]),
        sigma_max=float(np.linalg.norm(_run.params.W_hh, 2)),
        jacobian=float(flow.jacobian_norms[0]), bound=float(flow.bound[0]))


@one_blas_thread  # a second BLAS thread made the LSTM's checks several times slower
def diagnose(runs, k):
    """check_run of the RNN and the LSTM at D (both on the same held-out sequences: one seed
    draws them), merged, with the ratios of all three runs and the end-of-training numbers
    the page shows."""
    short_run, rnn_run, lstm_run = runs
    T = rnn_run.evaluation.length
    k_check = k if 0 < k < T else max(1, T // 2)
    found = {name: check_run(run, k_check, run.config)
             for name, run in (("RNN", rnn_run), ("LSTM", lstm_run))}
    own = {key: value for name in found for key, value in found[name].items()
           if key not in ("curve", "checks", "ratio")}
    return own | dict(
        curves={name: found[name]["curve"] for name in found},
        checks=found["RNN"]["checks"] | found["LSTM"]["checks"], k_check=k_check,
        ratios=[full_ratio(short_run), found["RNN"]["ratio"], found["LSTM"]["ratio"]],
        diverged=not all(np.isfinite(r.loss).all() for r in runs),
        dL_dh1_end=[float(np.median(r.dL_dh1_norm[-LAST:])) for r in runs],
        clipped_steps=[int(np.sum(r.grad_norm > r.clipped_grad_norm)) for r in runs],
        clipped_max=max(float(r.clipped_grad_norm.max()) for r in runs),
        end_ratios=[end_ratio(rnn_run), end_ratio(lstm_run)])


@computation(st.cache_resource, max_entries=16,
             show_spinner="Checking the gradients…", show_time=True)
def lab(**settings):
    """The trained runs, their diagnosis, the truncation errors (RNN, LSTM) x window k of
    shape (2, D + 1) and the figures for the page's settings: a cached rerun hashes these
    13 values once (its parts' keys hashed ~90 values: ~10% of a rerun, measured). Each
    training and each network's check is cached on its own below it, so that a setting
    that reaches one network retrains and re-checks that one only."""
    runs = train_all(settings)
    ev = diagnose(runs, settings["k"])
    errors = np.stack([ev["curves"]["RNN"], ev["curves"]["LSTM"]])
    return runs, ev, errors, run_figures(runs, errors, **settings)


def end_ratio(run):
    """||dL/dh_1|| / ||dL/dh_T|| in training, the median over the last training steps."""
    tail = run.dL_dh_norms[-LAST:]
    return float(np.median(tail[:, 0] / np.maximum(tail[:, -1], 1e-300)))


def run_figures(runs, errors, **settings):
    """The four figures of the training runs (cached with them by :func:`lab`); each is its
    own spec (figures.spec_figure), so st.plotly_chart copies nothing on a rerun, and
    frozen, so that it encodes no JSON either."""
    labels = run_labels(settings["D"])
    stacked = {key: np.stack([getattr(r, key) for r in runs])
               for key in ("loss", "accuracy", "dL_dh1_norm", "grad_norm")}
    return frozen(dict(
        training=figures.training_curves(labels, stacked["loss"], stacked["accuracy"],
                                         runs[1].chance),
        gradients=figures.gradient_curves(labels, stacked["dL_dh1_norm"], stacked["grad_norm"],
                                          settings["clip"] or None),
        flow=figures.flow_animation(labels[1:], np.stack([r.dL_dh_norms for r in runs[1:]])),
        truncation=figures.truncation_errors(labels[1:], np.arange(1, settings["D"] + 2),
                                             errors, settings["D"] + 1),
    ))


@computation(st.cache_resource, max_entries=16,
             show_spinner="Descending the cliff…", show_time=True)
def cliff(w0, b0, eta, tau):
    """The one-unit RNN's loss surface, gradient descent on it without and with clipping:
    the animation and curves (frozen: their JSON too) and the numbers under them, built
    once per setting."""
    surface = training.cliff_surface()
    plain = training.cliff_descent(w0, b0, learning_rate=eta)
    clipped = training.cliff_descent(w0, b0, learning_rate=eta, clip=tau)
    labels = ["without clipping", f"clipped to τ = {tau:g}"]
    paths = np.stack([plain.path, clipped.path])
    jumps = np.linalg.norm(np.diff(paths, axis=1), axis=2).max(axis=1)
    inside = ((paths[0, :, 0] >= surface.w[0]) & (paths[0, :, 0] <= surface.w[-1])
              & (paths[0, :, 1] >= surface.b[0]) & (paths[0, :, 1] <= surface.b[-1]))
    return frozen(dict(
        animation=figures.cliff_animation(surface.w, surface.b, surface.loss, labels, paths),
        curves=figures.cliff_curves(labels, np.stack([plain.loss, clipped.loss]),
                                    np.stack([plain.grad_norm, clipped.grad_norm]), tau),
        max_norm=float(plain.grad_norm.max()), jump=float(jumps[0]),
        clipped_jump=float(jumps[1]), final=(float(plain.loss[-1]), float(clipped.loss[-1])),
        off_chart=not inside.all()))


def run_labels(D):
    return [f"RNN, D = {SHORT_DELAY}", f"RNN, D = {D}", f"LSTM, D = {D}"]


def full_ratio(run, sequences=CURVE_SEQUENCES):
    """||dL/dh_1|| / ||dL/dh_T|| of the trained network by full BPTT on held-out sequences
    (means over the sequences), whatever window it was trained with."""
    data = run.evaluation
    norms = np.linalg.norm(training.batch_gradient(
        run.params, data.xs[:sequences], data.ys[:sequences], data.mask[:sequences]).dL_dh,
        axis=2).mean(axis=0)
    return float(norms[0] / max(norms[-1], 1e-300))


def history_table(runs) -> dict:
    """The training histories of the three runs, one column each (the CSV download)."""
    table = {"step": np.arange(1, runs[0].loss.shape[0] + 1)}
    for key, run in zip(("rnn_short", "rnn", "lstm"), runs):
        table |= {f"{key}_loss": run.loss, f"{key}_accuracy": run.accuracy,
                  f"{key}_dL_dh1": run.dL_dh1_norm, f"{key}_grad_norm": run.grad_norm}
    return table
