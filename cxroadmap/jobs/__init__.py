"""Long work done in the background (a large report, a large import), its progress and its result."""
