"""Lab lifecycle: up (apply a plan, journal it, roll back on failure), down, status."""
