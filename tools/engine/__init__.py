"""The credit engine: analysis, rating, limits, adjustment, early warning, concentration, calendar."""
