"""backprop-tui's engine: the notes' 2–2–1 network in plain NumPy, with no UI import."""
