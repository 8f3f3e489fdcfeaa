"""Every cache in the app has a bound: each st.cache_data / st.cache_resource, used directly or
through views.slots.computation, is given max_entries (read from the source's syntax tree)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHES = {"cache_data", "cache_resource", "computation"}


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def cache_uses(tree: ast.AST):
    """(line, name, bounded) for every use of a cache decorator in a module: called with
    arguments (bounded when max_entries is one of them) or bare (never bounded)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in CACHES:
            bounded = any(keyword.arg == "max_entries" for keyword in node.keywords)
            yield node.lineno, _name(node.func), bounded
        for decorator in getattr(node, "decorator_list", []):
            if not isinstance(decorator, ast.Call) and _name(decorator) in CACHES:
                yield decorator.lineno, _name(decorator), False


def test_every_cache_has_max_entries():
    sources = [ROOT / "app.py", *sorted((ROOT / "views").rglob("*.py"))]
    uses = {(str(path.relative_to(ROOT)), *use) for path in sources
            for use in cache_uses(ast.parse(path.read_text(), str(path)))}
    assert len({use for use in uses if use[2] == "computation"}) >= 10
    assert [use for use in uses if not use[3]] == []


def test_a_bare_or_unbounded_cache_is_caught():
    source = ("import streamlit as st\n"
              "@st.cache_data\ndef f(): pass\n"
              "@st.cache_resource(ttl=5)\ndef g(): pass\n"
              "@computation(st.cache_data, max_entries=4)\ndef h(): pass\n")
    assert sorted(cache_uses(ast.parse(source))) == [
        (2, "cache_data", False), (4, "cache_resource", False), (6, "computation", True)]
