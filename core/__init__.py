"""The mathematics of the explorer: NumPy, SciPy, scikit-learn; never streamlit or plotly."""
