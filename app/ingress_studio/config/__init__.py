"""Where settings live, which projects exist, and how their secrets are kept."""
