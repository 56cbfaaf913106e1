"""Start-up (issue 5): the cyclic GC is paused while the app starts and resumed after its first screen."""
import gc
import sys
import types

from apphelp import drive
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


def test_the_app_resumes_the_gc_after_its_first_screen():
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
