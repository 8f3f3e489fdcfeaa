"""Root conftest: puts the project root on sys.path so that a bare `pytest` imports core."""
