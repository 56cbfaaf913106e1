"""One file per panel; each renders the App's current Snapshot and computes nothing (DESIGN §3)."""
