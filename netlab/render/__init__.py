"""Renderers: the same Plan as a runnable shell script or as JSON."""
