"""Start-up (issue 5): the cyclic GC is paused while the app starts and resumed after its first screen."""

import gc
import json
import os
import sys
import types

from tui import main as cli


def test_the_app_starts_with_the_gc_paused_and_the_command_leaves_it_on(monkeypatch):
    seen = {}

    def fake_run(model, args, script):
        seen["gc_on"] = gc.isenabled()
        return 0

    monkeypatch.setitem(sys.modules, "tui.app.app", types.SimpleNamespace(run=fake_run))
    assert gc.isenabled()
    assert cli.main(["--preset", "xor"]) == 0
    assert seen == {"gc_on": False}
    assert gc.isenabled()


def test_the_app_resumes_the_gc_after_its_first_screen(drive):
    seen = {}

    def configure(app):
        app.resume_gc = True
        gc.disable()

    async def scenario(app, pilot):
        seen["gc_on"] = gc.isenabled()

    try:
        drive(scenario, configure=configure)
    finally:
        gc.enable()
        gc.unfreeze()
    assert seen == {"gc_on": True}


def test_importing_the_modules_leaves_the_process_as_it_was(run_python):
    """Process settings (GC, environment) are made by main(), not by importing a module: a program or
    a test that imports the command line or the app keeps its own."""
    code = (
        "import gc, os, pkgutil, importlib, json\n"
        "before = dict(os.environ)\n"
        "import tui\n"
        "names = [i.name for i in pkgutil.walk_packages(tui.__path__, 'tui.') if i.name != 'tui.__main__']\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'gc': gc.isenabled(), 'env': dict(os.environ) == before, 'n': len(names)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL_FPS", "OPENBLAS_NUM_THREADS")}
    done = run_python(code, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["gc"] is True and result["env"] is True and result["n"] > 30


def test_main_applies_the_process_settings(monkeypatch):
    """What the modules no longer do at import, main() does before the app starts."""
    seen = {}

    def fake_run(model, args, script):
        seen.update(fps=os.environ.get("TEXTUAL_FPS"), blas=os.environ.get("OPENBLAS_NUM_THREADS"))
        return 0

    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setitem(sys.modules, "tui.app.app", types.SimpleNamespace(run=fake_run))
    assert cli.main([]) == 0
    assert seen == {"fps": "120", "blas": "1"}
