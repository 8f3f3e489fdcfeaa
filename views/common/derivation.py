"""The "The derivation" section every page shares: the seed's steps, each graded, with
the correction and the live numerical evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import streamlit as st


@dataclass(frozen=True)
class Step:
    """One step of the handwritten derivation: the seed's LaTeX and its verdict.

    evidence names a live measurement the page fills in ("" when there is none).
    """

    title: str
    seed_latex: str
    correct: bool
    comment: str
    correction_latex: str = ""
    evidence: str = ""


def display_math(latex: str) -> str:
    """LaTeX as a displayed equation inside markdown (what st.latex sends, as text)."""
    return f"$$\n{latex.strip()}\n$$"


def render_steps(steps: Sequence[Step], evidence: Mapping[str, str]) -> None:
    """The steps in one bordered box, separated by rules: each with its title and verdict,
    the seed's LaTeX, the comment, the correction, and the markdown
    ``evidence[step.evidence]`` computed for these settings. One markdown element for all
    (each element costs the server on every rerun)."""
    blocks = []
    for step in steps:
        verdict = ":green[✔ correct]" if step.correct else ":red[✘ slip]"
        parts = [f"**{step.title}** — {verdict}", display_math(step.seed_latex), step.comment]
        if step.correction_latex:
            parts.append(display_math(step.correction_latex))
        if step.evidence:
            parts.append(evidence[step.evidence])
        blocks.append("\n\n".join(parts))
    ruled_box(blocks)


def ruled_box(blocks: Sequence[str]) -> None:
    """Markdown ``blocks`` in one bordered box, separated by rules: one element for all."""
    st.container(border=True).markdown("\n\n---\n\n".join(blocks))
