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


def render_steps(steps: Sequence[Step], evidence: Mapping[str, str]) -> None:
    """Each step in a bordered box: title and verdict, the seed's LaTeX, the comment, the
    correction, and the markdown ``evidence[step.evidence]`` computed for these settings."""
    for step in steps:
        with st.container(border=True):
            verdict = ":green[✔ correct]" if step.correct else ":red[✘ slip]"
            st.markdown(f"**{step.title}** — {verdict}")
            st.latex(step.seed_latex)
            st.markdown(step.comment)
            if step.correction_latex:
                st.latex(step.correction_latex)
            if step.evidence:
                st.markdown(evidence[step.evidence])
