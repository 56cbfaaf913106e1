"""Settings of the process the app or a command runs in, applied by tui.main.main() before the
modules that use them load (never at import: a test or a program that imports a module keeps its own).

- BLAS threads: the 2–2–1 network's arrays hold two or four numbers, so BLAS threads never help, and
  starting a pool of them costs ~0.1 s of start-up (and on a shared lab server a thread per core for
  every student's process). A value the user set is kept.
- TEXTUAL_FPS: Textual draws at most this many frames a second (default 60). A key that arrives
  within 1/60 s of the last frame waited for the next tick, up to 17 ms on top of the ~20 ms the key
  takes (issue 5, key → screen); at 120 it waits at most 8 ms, and since a key takes longer than that,
  in practice not at all. The app draws only when something changed (play: ten frames a second at
  most), so the higher cap adds no frames while idle or playing. A value the user set is kept.
- The cyclic GC during start-up (issue 5): what loading the modules creates lives as long as the
  process, yet the collector walks it ~150 times before the app's first screen (a full pass over it
  takes 40–90 ms here) and finds almost nothing: ~1/6 of the app's start-up. main() pauses it while
  modules load; the app resumes it after its first screen (BackpropApp.resume_gc).
"""

from __future__ import annotations

import os
import signal
import sys

FRAME_RATE = 120
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def apply_environment() -> None:
    """One BLAS thread and TEXTUAL_FPS (see above), unless the user set them."""
    for var in BLAS_THREADS:
        os.environ.setdefault(var, "1")
    os.environ.setdefault("TEXTUAL_FPS", str(FRAME_RATE))


def end_with_parent() -> None:
    """In a tab's app process (--files): have the kernel kill it when the process that started it
    ends, however it ends, so a killed server leaves no app running. SIGKILL, not SIGTERM: a stopping
    server asks its apps to quit first (tui/cli/webserve.py); this is for when it could not, and an app
    busy drawing would never get to handle SIGTERM. No file is left half-written: each is written
    under a temporary name, then renamed (engine.config, tui/app/exporter.py). Linux (prctl
    PR_SET_PDEATHSIG); elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # only in a served tab: the app in a terminal starts without it (start-up time)

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before prctl: no signal will come
        os._exit(1)
