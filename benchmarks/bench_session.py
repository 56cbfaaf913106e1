"""A class session on 127.0.0.1 (tui/host/session.py, DESIGN §13): how fast a state reaches the class,
and what the class costs the lecturer's event loop.

    python benchmarks/bench_session.py [--repeats 30] [--students 40 200] [--state-bytes 2000]

1. Reach: the lecturer's LeadServer in this process, N StudentClients in a child process (its own
   event loop, as the students' apps are): for each of `repeats` states, the time from the
   lecturer's broadcast() to the moment the slowest of the N students has it (CLOCK_MONOTONIC, one
   clock for both processes on Linux). Median and the slowest repeat, for each N.
2. Cost on the lecturer's loop, 0 vs 200 students: the broadcast() call itself, and the loop's time
   until every student's writer has handed the state to the kernel (every mailbox empty), the work
   a key press that changes the state adds before the lecturer's screen can update. Medians and
   the ratios 200 : 0.

Not a pytest test: timing depends on the machine (PERFORMANCE.md).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tui.host.session import Joined, LeadServer, State, StudentClient  # noqa: E402

CODE = "BENCH1"


def payload(n_bytes: int, k: int) -> dict:
    """A state of about n_bytes of JSON: numbers, as the app's model and phase will be."""
    return {"k": k, "values": [0.123456789 + i for i in range(max(1, n_bytes // 14))]}


# --- the students' process ------------------------------------------------------------------------

async def students(port: int, n: int) -> None:
    """Join n students; print "ready", then for every state version k that all n have, one line
    "k t" with t the monotonic nanoseconds at which the last of them got it."""
    clients = [StudentClient("127.0.0.1", port, CODE, f"s{i}") for i in range(n)]
    for c in clients:
        c.start()
    await asyncio.gather(*(_until_joined(c) for c in clients))
    print("ready", flush=True)
    got: dict[int, list[int]] = {}

    async def follow(c: StudentClient) -> None:
        while (event := await c.next_event()) is not None:
            if isinstance(event, State):
                times = got.setdefault(event.n, [])
                times.append(time.monotonic_ns())
                if len(times) == n:
                    print(event.n, max(times), flush=True)
                    del got[event.n]

    await asyncio.gather(*(follow(c) for c in clients))


async def _until_joined(c: StudentClient) -> None:
    while not isinstance(await c.next_event(), Joined):
        pass


def child(n: int, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", str(n), str(port)], stdout=subprocess.PIPE,
                            text=True, cwd=HERE.parent)


async def line(proc: subprocess.Popen) -> str:
    return await asyncio.get_running_loop().run_in_executor(None, proc.stdout.readline)


# --- the lecturer's side --------------------------------------------------------------------------

async def reach(n: int, repeats: int, size: int) -> list[float]:
    """Milliseconds from broadcast to the slowest of n students, one per repeat (after 3 warm-ups)."""
    server = LeadServer(code=CODE, max_students=max(n, 1))
    await server.start()
    proc = child(n, server.port)
    try:
        assert (await line(proc)).strip() == "ready"
        out = []
        for k in range(repeats + 3):
            t0 = time.monotonic_ns()
            version = server.broadcast(payload(size, k))
            got, t1 = (await line(proc)).split()
            assert int(got) == version, (got, version)
            if k >= 3:
                out.append((int(t1) - t0) / 1e6)
            await asyncio.sleep(0.01)  # the class settles before the next state
        return out
    finally:
        await server.close()
        proc.wait(timeout=30)


async def cost(n: int, repeats: int, size: int) -> tuple[list[float], list[float]]:
    """Milliseconds of the broadcast() call, and of the loop until every mailbox is empty."""
    server = LeadServer(code=CODE, max_students=max(n, 1))
    await server.start()
    proc = child(n, server.port) if n else None
    calls, loops = [], []
    try:
        if proc is not None:
            assert (await line(proc)).strip() == "ready"
        for k in range(repeats + 3):
            state = payload(size, k)
            t0 = time.perf_counter()
            server.broadcast(state)
            t1 = time.perf_counter()
            while any(server.queued()):
                await asyncio.sleep(0)
            t2 = time.perf_counter()
            if k >= 3:
                calls.append((t1 - t0) * 1e3)
                loops.append((t2 - t0) * 1e3)
            if proc is not None:
                await line(proc)  # every student has it: the next one starts from quiet
            await asyncio.sleep(0.01)
        return calls, loops
    finally:
        await server.close()
        if proc is not None:
            proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--students", type=int, nargs="+", default=[40, 200])
    ap.add_argument("--state-bytes", type=int, default=2000)
    ap.add_argument("--child", type=int, nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        asyncio.run(students(args.child[1], args.child[0]))
        return 0
    size = args.state_bytes
    print(f"one state of {len(str(payload(size, 0)))} characters; medians of {args.repeats} repeats; "
          f"{os.cpu_count()} CPUs")
    for n in args.students:
        ms = asyncio.run(reach(n, args.repeats, size))
        print(f"reach, {n:3d} students: broadcast → slowest student {statistics.median(ms):7.2f} ms "
              f"(slowest repeat {max(ms):.2f} ms)")
    (call0, loop0), (call200, loop200) = (asyncio.run(cost(n, args.repeats, size)) for n in (0, 200))
    c0, c200, l0, l200 = (statistics.median(x) for x in (call0, call200, loop0, loop200))
    print(f"lecturer's loop,   0 students: broadcast() {c0:.3f} ms, until handed to the kernel {l0:.3f} ms")
    print(f"lecturer's loop, 200 students: broadcast() {c200:.3f} ms, until handed to the kernel {l200:.3f} ms")
    print(f"ratio 200 : 0: broadcast() {c200 / c0:.1f}×, loop {l200 / l0:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
