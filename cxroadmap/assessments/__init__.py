"""Assessment rounds: several raters say where the organisation stands; steering confirms the outcome."""
