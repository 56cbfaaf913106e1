"""Full screens of the app beyond the main one (activation view, sweep, editing)."""
