"""`x`: transcript (Markdown, LaTeX), SVG screenshot and loss CSV of this moment (tui/app/exporter.py),
written to --export-dir (inside --files when given); in a browser tab one zip archive of them, as a
download."""

from __future__ import annotations

import io
from pathlib import Path

from tui.app import exporter
from tui.app.host import Host, now
from tui.app.notice import Notice
from tui.host import files

MAX_PENDING_DOWNLOADS = 10  # x in a browser tab: exports sent, not yet fetched, each held in memory


def screen_files(app: Host) -> dict[str, str]:
    """The files the screen on top adds to the export (its `export_files()`: the depth view's JSON, the
    comparison's JSON and Markdown), if any."""
    export_files = getattr(app.screen, "export_files", None)
    return export_files() if callable(export_files) else {}


class ExportController:
    def __init__(self, app: Host) -> None:
        self.app = app
        self.pending_downloads: set[str] = set()  # delivery keys of exports the browser has not fetched

    def export(self) -> None:
        """x; the screen on top may add files to the set (screen_files)."""
        from tui.text.report import transcript_labels  # on the first x: the first screen does without it

        app = self.app
        if app.is_web:
            app.notice = self._deliver_export(transcript_labels(app.lang))
        else:
            try:
                folder: str | Path = app.export_dir
                if app.files_folder is not None:
                    folder = files.confine(app.files_folder, app.export_dir)
                done = exporter.export_snapshot(
                    now(app),
                    app.export_screenshot(),
                    folder,
                    labels=transcript_labels(app.lang),
                    comma=app.comma,
                    extra=screen_files(app),
                )
            except files.Refused as e:
                app.notice = Notice(e.key, (("path", e.path),))
            except OSError as e:
                app.notice = Notice("ui_export_failed", (("error", exporter.describe_error(e)),))
            else:
                names = ", ".join(p.name for p in done.files)
                key = "ui_export_done" if done.transcript else "ui_export_partial"
                where = files.display_path(app.files_folder, done.folder)
                app.notice = Notice(key, (("files", names), ("folder", where)))
        if app.screen is not app.screen_stack[0] and not getattr(app.screen, "SHOWS_NOTICE", False):
            # neither the Explain panel nor the screen on top shows the notice: say it here
            failed = "failed" in app.notice.key or app.notice.key.startswith("files_")
            app.notify(
                app.notice.text(app.lang),
                markup=False,  # file names are shown as they are
                severity="error" if failed else "information",
            )

    def _deliver_export(self, labels: dict[str, str]) -> Notice:
        """The export as one zip download to the browser; none while MAX_PENDING_DOWNLOADS wait to be
        fetched (a browser that blocks the download's pop-up never fetches, and each waits in memory)."""
        app = self.app
        if len(self.pending_downloads) >= MAX_PENDING_DOWNLOADS:
            return Notice("ui_export_pending", count=len(self.pending_downloads))
        s = now(app)
        texts = exporter.contents(s, app.export_screenshot(), labels, app.comma, screen_files(app))
        base = exporter.base_name(s)
        name = f"{base}.zip"
        key = app.deliver_binary(
            io.BytesIO(exporter.zip_set(base, texts)), save_filename=name, mime_type="application/zip"
        )
        if key is not None:
            self.pending_downloads.add(key)
        listed = ", ".join(base + suffix for suffix in texts)
        return Notice(
            "ui_export_download" if exporter.has_transcript(s) else "ui_export_download_partial",
            (("file", name), ("files", listed)),
        )

    def delivered(self, key: str) -> None:
        """The browser fetched the download, or it failed: it no longer waits in memory."""
        self.pending_downloads.discard(key)


__all__ = ["ExportController", "MAX_PENDING_DOWNLOADS"]
