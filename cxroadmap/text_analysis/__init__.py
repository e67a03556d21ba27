"""What customers say, read offline: each comment's sentiment (English and Dutch) and the organisation's themes."""
