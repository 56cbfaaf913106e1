"""The App's side of each job behind its keys, one controller per job, owned by BackpropApp.

    play.py    p (the play worker) and e on a large data set (the epoch worker)
    quiz.py    k and quiz mode's questions before a micro-step
    edit.py    w, the Edit screen's changes
    files.py   o and ctrl+s, a model file
    export.py  x, the export of this moment

A controller sees the App only through Host (tui/app/host.py): the Stepper, the Snapshot, the notice,
the settings, `apply` (the one path from a key to the panels) and `open_screen`, plus a few public
Textual App methods. The App maps each key to a controller and holds the watchers.
"""
