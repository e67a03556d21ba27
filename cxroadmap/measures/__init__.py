"""KPIs of the customer experience: O-data and X-data, their readings, targets and survey scores."""
