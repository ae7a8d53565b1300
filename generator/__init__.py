"""flagboard: scores from a Git data repo → red/yellow flag results → a static site."""
