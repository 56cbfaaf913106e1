"""A class opening `backprop-tui serve` in 40 browser tabs at once (issue 21, item 10 of docs/PERFORMANCE.md).

    python benchmarks/bench_tabs.py [--tabs 40] [--repeats 1] [--timeout 180]

Two servers on free ports of 127.0.0.1, one after the other in the same run: `serve --tab-start
warm` (the default: each tab's app is forked from a parent that has loaded the app, tui/warm.py) and
`serve --tab-start cold` (each tab starts a fresh `python -m tui`, as before). For each, N websocket
sessions are opened at the same moment, as N browsers would (textual-serve's /ws at 80×24), and a
tab's time is from that moment to its first full screen (every marker of bench_class.APP_MARKERS
in what the app sent, escape sequences stripped). With every tab on its first screen, the
proportional memory of each tab's app (Pss of /proc/PID/smaps_rollup: a page shared by k processes
counts 1/k to each) is summed; for warm, the parent's own Pss is added, as the tabs need it; the sum
divided by N is the memory per tab.

Budgets: the slowest warm tab at most half the slowest cold tab; PSS per tab at least a third
below cold's. Exit code 1 if either is missed. Timing stays out of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_app import ANSI, child_env, machine  # noqa: E402
from bench_class import APP_MARKERS  # noqa: E402

TIME_BUDGET, MEMORY_BUDGET = 0.5, 2 / 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found[1]) if found else 0


def is_warm_parent(pid: int) -> bool:
    try:
        return b"tui.warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class Server:
    def __init__(self, mode: str, tabs: int) -> None:
        self.port = free_port()
        env = child_env()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "serve",
                "--port",
                str(self.port),
                "--tab-start",
                mode,
                "--max-tabs",
                str(tabs),
                "--lang",
                "en",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        line = self.proc.stderr.readline().decode()
        if "serving on" not in line:
            raise RuntimeError(f"serve did not start: {line}{self.proc.stderr.read().decode()}")

    def processes(self) -> tuple[list[int], list[int]]:
        """(the tabs' apps, the warm parents)."""
        apps, warm = [], []
        for pid in children(self.proc.pid):
            if is_warm_parent(pid):
                warm.append(pid)
                apps += children(pid)
            else:
                apps.append(pid)
        return apps, warm

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def open_tab(port: int, t0: float, timeout: float, hold: asyncio.Event, first: asyncio.Future) -> None:
    try:
        await _open_tab(port, t0, timeout, hold, first)
    except Exception as e:  # noqa: BLE001 - told to the waiting benchmark
        if not first.done():
            first.set_exception(e)


async def _open_tab(port: int, t0: float, timeout: float, hold: asyncio.Event, first: asyncio.Future) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24", max_msg_size=0) as ws:
            data = b""
            deadline = t0 + timeout
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise RuntimeError(f"a tab never showed its first screen: {ANSI.sub(b'', data)[-300:]!r}")
                message = await asyncio.wait_for(ws.receive(), left)
                if message.type == aiohttp.WSMsgType.BINARY:
                    data += message.data
                    text = ANSI.sub(b"", data).decode("utf-8", "replace")
                    if all(m in text for m in APP_MARKERS):
                        first.set_result(time.perf_counter() - t0)
                        break
                elif message.type != aiohttp.WSMsgType.TEXT:
                    raise RuntimeError(f"the tab closed: {message}")
            await hold.wait()  # every tab stays open until the memory has been read


async def open_class(server: Server, tabs: int, timeout: float) -> tuple[list[float], int]:
    hold = asyncio.Event()
    loop = asyncio.get_running_loop()
    first = [loop.create_future() for _ in range(tabs)]
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(open_tab(server.port, t0, timeout, hold, f)) for f in first]
    try:
        times = sorted(await asyncio.gather(*first))  # every tab on its first screen
        await asyncio.sleep(1.0)  # the apps settle (first screen done, chart drawn)
        apps, warm = server.processes()
        if len(apps) != tabs:
            raise RuntimeError(f"{len(apps)} app processes for {tabs} tabs")
        memory = sum(pss_kb(p) for p in apps + warm)
    finally:
        hold.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return times, memory


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabs", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=180.0)
    args = ap.parse_args(argv)
    print(f"# {args.tabs} browser tabs at once, 80×24, {machine()}", flush=True)
    slowest: dict[str, list[float]] = {"warm": [], "cold": []}
    medians: dict[str, list[float]] = {"warm": [], "cold": []}
    per_tab: dict[str, list[float]] = {"warm": [], "cold": []}
    for k in range(args.repeats):
        for mode in ("warm", "cold") if k % 2 == 0 else ("cold", "warm"):
            server = Server(mode, args.tabs)
            try:
                time.sleep(3.0)  # the warm parent loads before the class arrives, as in a lab
                times, memory = asyncio.run(open_class(server, args.tabs, args.timeout))
            finally:
                server.stop()
            slowest[mode].append(times[-1])
            medians[mode].append(statistics.median(times))
            per_tab[mode].append(memory / args.tabs / 1024)
            print(
                f"  run {k + 1}/{args.repeats} {mode}: median {medians[mode][-1]:.2f} s, slowest {times[-1]:.2f} s, "
                f"PSS per tab {per_tab[mode][-1]:.1f} MB",
                flush=True,
            )
            time.sleep(2.0)
    m = {
        key: {mode: statistics.median(v[mode]) for mode in v}
        for key, v in (("slowest", slowest), ("median", medians), ("pss", per_tab))
    }
    print()
    print(f"| {args.tabs} tabs at once | median first screen | slowest first screen | PSS per tab |")
    print("|---|---|---|---|")
    for mode in ("warm", "cold"):
        print(
            f"| serve --tab-start {mode} | {m['median'][mode]:.2f} s | {m['slowest'][mode]:.2f} s | "
            f"{m['pss'][mode]:.1f} MB |"
        )
    time_ratio = m["slowest"]["warm"] / m["slowest"]["cold"]
    memory_ratio = m["pss"]["warm"] / m["pss"]["cold"]
    ok_time, ok_memory = time_ratio <= TIME_BUDGET, memory_ratio <= MEMORY_BUDGET
    print(f"\nslowest warm ÷ slowest cold: {time_ratio:.2f} (budget ≤ {TIME_BUDGET}): {'met' if ok_time else 'MISSED'}")
    print(
        f"PSS per tab, warm ÷ cold: {memory_ratio:.2f} (budget ≤ {MEMORY_BUDGET:.2f}, a third below): "
        f"{'met' if ok_memory else 'MISSED'}"
    )
    return 0 if ok_time and ok_memory else 1


if __name__ == "__main__":
    sys.exit(main())
