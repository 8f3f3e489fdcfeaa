"""The pages the app serves: one entry per built page, read by app.py and the home page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    script: str  # path from the repository root
    title: str
    url_path: str
    icon: str
    summary: str  # one line for the home page


PAGES = (
    PageEntry(
        "views/bptt/page.py",
        "Backpropagation through time",
        "bptt",
        ":material/replay:",
        "Q1. The adjoint dL/dh_t flowing backwards through a tanh RNN, vanishing or "
        "exploding with W_hh, checked against finite differences; the handwritten "
        "derivation graded step by step.",
    ),
    PageEntry(
        "views/unrolling/page.py",
        "Unrolling and parameter sharing",
        "unrolling",
        ":material/linear_scale:",
        "Q2. h_t = F_θ(h_{t−1}, x_t) unfolded for any t, the folded and unrolled graphs "
        "with their shared weights, parameter count flat in T against an unshared "
        "network, one set of weights on sequences of many lengths.",
    ),
    PageEntry(
        "views/backprop_cost/page.py",
        "What a gradient costs",
        "backprop-cost",
        ":material/calculate:",
        "Q3. Parameters and multiplications of backprop, forward mode and naive path "
        "summation in an MLP against depth: linear against exponential, every count "
        "confirmed by an instrumented run, the handwritten answers beside the right ones.",
    ),
    PageEntry(
        "views/autoencoder_pca/page.py",
        "Autoencoder = PCA",
        "autoencoder-pca",
        ":material/compress:",
        "Q4. A linear autoencoder trained by gradient descent converging onto "
        "scikit-learn's PCA subspace, on built-in data or your CSV: principal angles to "
        "zero, the loss to the sum of the discarded eigenvalues, and why the weights are "
        "not the principal components.",
    ),
    PageEntry(
        "views/rnn_lab/page.py",
        "RNN lab",
        "rnn-lab",
        ":material/science:",
        "Beyond Q1. Training the seed's RNN on a dependency D steps long: it learns at short "
        "D and fails at long D as its gradient vanishes; truncated BPTT, gradient clipping "
        "on the exploding-gradient cliff, and the LSTM's gating that fixes it.",
    ),
)
