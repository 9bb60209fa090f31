"""First-party hook implementations that live in the core (loaded by module path)."""
