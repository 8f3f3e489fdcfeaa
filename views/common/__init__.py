"""Pieces every page shares: URL-bound controls, presets, palette, layout."""
