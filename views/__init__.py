"""The views: one folder per page (page.py, figures.py, text), and common pieces."""
