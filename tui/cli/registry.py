"""The subcommands of `backprop-tui`, once: the dispatcher (tui/cli/commands.py) runs these, and the
top-level --help lists them (tui/cli/interactive.py). Each is the module tui.cli.<name>, with
`parser()` and `run(args)`."""

from __future__ import annotations

# name → what it does, as the top-level --help lists it
COMMANDS: dict[str, str] = {
    "trace": "every intermediate value of N sample-steps (text, JSON, Markdown, LaTeX), or a NumPy script / notebook",
    "train": "per-sample gradient descent for N epochs: the loss per epoch (text, JSON, CSV)",
    "gradcheck": "backprop's gradient against finite differences (exercise 2d)",
    "presets": "the built-in models",
    "sweep": "many random nets at once: does a 2–2–1 net always learn XOR?",
    "depth": "|δ| through K hidden layers: why gradients vanish (exercise 6c)",
    "compare": "sigmoid, tanh, ReLU and step side by side (exercises 5 and 6b)",
    "surface": "ŷ over the input plane: the decision surface and the hidden units",
    "chain": "the chain rule of one gradient, factor by factor (exercises 6a, 3d)",
    "serve": "the app in a browser tab, one process per tab (textual-serve)",
}
HEADLESS = tuple(name for name in COMMANDS if name != "serve")  # write to stdout; end quietly on a signal


def listing() -> str:
    """The subcommands as the top-level --help's epilog lists them, one per line."""
    width = max(map(len, COMMANDS))
    lines = [f"  {name:<{width}}  {what}" for name, what in COMMANDS.items()]
    return "commands (backprop-tui COMMAND --help for each):\n" + "\n".join(lines)
