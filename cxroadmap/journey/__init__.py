"""The customer journey: stages, touchpoints, and the gap between what customers expect and perceive."""
