"""A class session on 127.0.0.1 (tui/host/session.py, DESIGN §13): how fast a state reaches the class,
and what the class costs the lecturer's event loop.

    python benchmarks/bench_session.py [--repeats 30] [--students 40 200] [--state-bytes 2000] [--processes 1]

1. Reach: the lecturer's LeadServer in this process, N StudentClients spread over `processes`
   child processes (each its own event loop, as the students' apps are): for each of `repeats` states, the time from the
   lecturer's broadcast() to the moment the slowest of the N students has it (CLOCK_MONOTONIC, one
   clock for both processes on Linux). Median and the slowest repeat, for each N.
2. Cost on the lecturer's loop, 0 vs 200 students: the broadcast() call itself, and the loop's time
   until every student's writer has handed the state to the kernel (every mailbox empty), the work
   a key press that changes the state adds before the lecturer's screen can update; CPU time of the
   lecturer's thread, the two class sizes measured in turn. Medians and the ratios 200 : 0.

3. The app (--app): the lecturer's `backprop-tui --lead` app, headless at 120×40 on xor, cycling
   f f b b u: key → the frame that shows it (as bench_app.py item 2 measures it), with 0 and with 200
   students joined (StudentClients in a child process); and the time from the key to the moment the
   slowest of 40 students has the state that key made (the app broadcasts after its frame).

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

from frames import FrameWatch  # noqa: E402  (benchmarks/frames.py)
from tui.host.session import Joined, LeadServer, State, StudentClient  # noqa: E402

CODE = "BENCH1"


def payload(n_bytes: int, k: int) -> dict:
    """A state of about n_bytes of JSON: numbers, as the app's model and phase will be."""
    return {"k": k, "values": [0.123456789 + i for i in range(max(1, n_bytes // 14))]}


# --- the students' process ------------------------------------------------------------------------


async def students(port: int, n: int, first: int = 0) -> None:
    """Join n students; print "ready", then for every state version k that all n have, one line
    "k t" with t the monotonic nanoseconds at which the last of them got it."""
    clients = [StudentClient("127.0.0.1", port, CODE, f"s{first + i}") for i in range(n)]
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


class Children:
    """n students in `processes` child processes; line() is the last of their lines for one event."""

    def __init__(self, n: int, port: int, processes: int = 1) -> None:
        shares = [n // processes + (i < n % processes) for i in range(processes)]
        starts = [sum(shares[:i]) for i in range(processes)]
        self.procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--child", str(k), str(port), str(s)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=HERE.parent,
            )
            for k, s in zip(shares, starts)
            if k
        ]

    def wait(self) -> None:
        for p in self.procs:
            p.wait(timeout=30)


def child(n: int, port: int, processes: int = 1) -> Children:
    return Children(n, port, processes)


async def line(children: Children) -> str:
    """ "ready" once every child is; else "k t" with t the latest of the children's times for k."""
    loop = asyncio.get_running_loop()
    lines = await asyncio.gather(*(loop.run_in_executor(None, p.stdout.readline) for p in children.procs))
    if all(x.strip() == "ready" for x in lines):
        return "ready"
    ks, ts = zip(*(x.split() for x in lines))
    assert len(set(ks)) == 1, ks
    return f"{ks[0]} {max(int(t) for t in ts)}"


# --- the lecturer's side --------------------------------------------------------------------------


async def reach(n: int, repeats: int, size: int, processes: int = 1) -> list[float]:
    """Milliseconds from broadcast to the slowest of n students, one per repeat (after 3 warm-ups)."""
    server = LeadServer(code=CODE, max_students=max(n, 1))
    await server.start()
    proc = child(n, server.port, processes)
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
        proc.wait()


async def cost(sizes: tuple[int, ...], repeats: int, size: int) -> dict[int, tuple[list[float], list[float]]]:
    """For each class size, milliseconds of the broadcast() call and of the loop until every mailbox
    is empty, as CPU time of the lecturer's thread (time.thread_time: the machine's other load does
    not count). One server per class size, all at once, measured in turn, so each sees the same load."""
    servers = {n: LeadServer(code=CODE, max_students=max(n, 1)) for n in sizes}
    for server in servers.values():
        await server.start()
    kids = {n: child(n, servers[n].port) for n in sizes if n}
    out: dict[int, tuple[list[float], list[float]]] = {n: ([], []) for n in sizes}
    try:
        for kid in kids.values():
            assert (await line(kid)).strip() == "ready"
        for k in range(repeats + 3):
            for n in sizes if k % 2 else sizes[::-1]:
                state = payload(size, k)
                t0 = time.thread_time()
                servers[n].broadcast(state)
                t1 = time.thread_time()
                while any(servers[n].queued()):
                    await asyncio.sleep(0)
                t2 = time.thread_time()
                if k >= 3:
                    out[n][0].append((t1 - t0) * 1e3)
                    out[n][1].append((t2 - t0) * 1e3)
                if n:
                    await line(kids[n])  # every student has it: the next one starts from quiet
                await asyncio.sleep(0.01)
        return out
    finally:
        for server in servers.values():
            await server.close()
        for kid in kids.values():
            kid.wait()


# --- 3. the app ------------------------------------------------------------------------------------


async def app_keys(n: int, keys: list[str], warmup: int) -> tuple[list[float], list[float]]:
    """Milliseconds key → frame on the lecturer's app with n students joined, and (n > 0) key → the
    slowest student has the state it made."""
    from textual import events

    from engine import presets
    from tui.app.app import BackpropApp
    from tui.app.controllers.session import SessionArgs

    app = BackpropApp(presets.load("xor"), session=SessionArgs("lead", "127.0.0.1", 0, CODE, max_students=max(n, 1)))
    frames: list[float] = []
    reached: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while app.session.lead is None:
            await asyncio.sleep(0.01)
        kids = child(n, app.session.lead.port) if n else None
        try:
            if kids is not None:
                assert (await line(kids)).strip() == "ready"
                await line(kids)  # the state they joined at
            watch = FrameWatch(app.screen)
            for i, key in enumerate(keys):
                before = app.stepper.snapshot
                watch.expect(lambda: app.stepper.snapshot is not before)
                t0_ns, t0 = time.monotonic_ns(), time.perf_counter()
                app._driver.send_message(events.Key(key, key))
                await watch.wait()
                t1 = time.perf_counter()
                watch.stop()
                if kids is not None:
                    version, t_ns = (await line(kids)).split()
                    assert int(version) == app.session.lead.n, (version, app.session.lead.n)
                    if i >= warmup:
                        reached.append((int(t_ns) - t0_ns) / 1e6)
                await pilot._wait_for_screen()
                await asyncio.sleep(0.02)  # the class settles: one state per key, none coalesced
                if i >= warmup:
                    frames.append((t1 - t0) * 1e3)
        finally:
            await app.session.close()
            if kids is not None:
                kids.wait()
    return frames, reached


def bench_app(repeats: int) -> None:
    cycle = ["f", "f", "b", "b", "u"]
    keys = (cycle * (repeats // len(cycle) + 3))[: repeats + 5]
    q = statistics.quantiles
    for n in (0, 200):
        frames, _ = asyncio.run(app_keys(n, keys, 5))
        print(
            f"app, lecturer's key → screen, {n:3d} students: median {statistics.median(frames):6.1f} ms, "
            f"p90 {q(frames, n=10)[-1]:6.1f} ms ({len(frames)} keys)",
            flush=True,
        )
    _, reached = asyncio.run(app_keys(40, keys, 5))
    print(
        f"app, lecturer's key → the slowest of 40 students has its state: median {statistics.median(reached):6.1f} ms, "
        f"p90 {q(reached, n=10)[-1]:6.1f} ms",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--students", type=int, nargs="+", default=[40, 200])
    ap.add_argument("--state-bytes", type=int, default=2000)
    ap.add_argument("--processes", type=int, default=1, help="child processes the students are spread over")
    ap.add_argument("--app", action="store_true", help="only item 3: the lecturer's app with 0, 200 and 40 students")
    ap.add_argument("--child", type=int, nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        asyncio.run(students(args.child[1], args.child[0], args.child[2]))
        return 0
    if args.app:
        bench_app(args.repeats)
        return 0
    size = args.state_bytes
    print(
        f"one state of {len(str(payload(size, 0)))} characters; medians of {args.repeats} repeats; "
        f"{os.cpu_count()} CPUs; the students in {args.processes} process(es)"
    )
    for n in args.students:
        ms = asyncio.run(reach(n, args.repeats, size, args.processes))
        print(
            f"reach, {n:3d} students: broadcast → slowest student {statistics.median(ms):7.2f} ms "
            f"(slowest repeat {max(ms):.2f} ms)"
        )
    costs = asyncio.run(cost((0, 200), args.repeats, size))
    (call0, loop0), (call200, loop200) = costs[0], costs[200]
    c0, c200, l0, l200 = (statistics.median(x) for x in (call0, call200, loop0, loop200))
    print(f"lecturer's loop (CPU),   0 students: broadcast() {c0:.3f} ms, until handed to the kernel {l0:.3f} ms")
    print(f"lecturer's loop (CPU), 200 students: broadcast() {c200:.3f} ms, until handed to the kernel {l200:.3f} ms")
    print(f"ratio 200 : 0: broadcast() {c200 / c0:.1f}×, loop {l200 / l0:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
