"""What people give the platform: checked, sealed, normalised, read from sheets."""
