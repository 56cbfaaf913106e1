"""The `g` screen: backprop's gradient of the current sample against finite differences (exercise 2d).

Three parts, all of the current sample's Lᵢ at the parameters its gradients belong to (engine.gradcheck
check_snapshot, walk_snapshot, sweep_snapshot: one sample, so for the notes' exercise 2(d) Lᵢ is their L):

- the table: central and forward differences for every parameter side by side, each with its relative
  error, at the step size h (+ and − move it along 10⁻¹ … 10⁻¹², the notes' 10⁻⁴ first);
- the walk-through of one parameter (↑ ↓ pick it, w₁₁⁽²⁾ first as in the notes; m switches forward and
  central): θ, θ ± h, L at each, the quotient, backprop's value and their difference, with the notes'
  L⁺ ≈ 0.274808 flagged where they print it;
- the error of the quotient against h from 10⁻¹ to 10⁻¹², log–log, for both methods: truncation error
  falls with h (slope 1 forward, 2 central), rounding error rises at tiny h, the best h marked ◆ and the
  h in use marked │. Letters f and c draw the two curves, so it reads without colour.

At 120×40 the table sits above the walk-through and the plot side by side. Below 100 columns or 32 rows
(80×24) there is no room for all three: the walk-through stays, and Tab switches the part above it
between the table and the plot. The rows are computed by engine.gradcheck; this screen lays them out,
and recomputes when h, the parameter, the method, the language or the App's Snapshot changes.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from engine import gradcheck
from engine.stepper import Snapshot
from tui.app.screens.base import PicksParameter, TopScreen
from tui.app.widgets.plot import SafePlot
from tui.text import fmt, report
from tui.text.i18n import t
from tui.text.report import h_text

H_LADDER = tuple(10.0**-k for k in range(1, 13))  # the step sizes + and − walk: 10⁻¹ … 10⁻¹²
SYMBOL, COLUMNS = 10, (10, 12, 12, 13, 12)  # the parameter, then analytic, central, rel., forward, rel.
OK_REL_ERROR = 1e-6  # central differences at h = 10⁻⁵ agree with backprop far better than this
FIRST_KEY = PicksParameter.FIRST_KEY  # the parameter of the notes' exercise 2(d)
WIDE = (100, 32)  # from this size on the table, the walk-through and the plot all show


def gradcheck_text(
    s: Snapshot, h: float, lang: str, comma: bool, picked: tuple | None = None, compact: bool = False
) -> Text:
    """Backprop's ∂L/∂θ for every parameter against central and forward differences at step h; the
    picked parameter's row marked ▶ (and reversed). Compact: without the two lines on the methods."""
    central = gradcheck.check_snapshot(s, h, "central")
    forward = gradcheck.check_snapshot(s, h, "forward")

    def n(v: float) -> str:
        return fmt.num(v, comma)

    out = Text(end="")
    if not compact:
        out.append(t("ui_gc_methods", lang) + "\n\n", "dim")
    rel = t("ui_gc_rel", lang)
    heads = (t("ui_gc_analytic", lang), t("ui_gc_central", lang), rel, t("ui_gc_forward", lang), rel)
    # right-aligned columns; a number wider than its column (−1.000e+300) pushes the row right, never touching
    widths = tuple(max(w, len(head) + 1) for w, head in zip(COLUMNS, heads))

    def row(name: str, texts, mark: str = "  ") -> str:
        pads = fmt.column_pads(texts, widths, start=SYMBOL)
        return mark + name.ljust(SYMBOL) + "".join(" " * pad + text for pad, text in zip(pads, texts)) + "\n"

    out.append(row(t("ui_gc_param", lang), heads), "bold")
    kinks = gradcheck.kinked_snapshot(s, h)  # a unit at ReLU's kink or the step's jump: marked *, said below
    for c, f in zip(central, forward):
        mine = c.key == picked
        out.append(
            row(
                fmt.param(c.key),
                [n(c.analytic), n(c.numeric), n(c.rel_error), n(f.numeric), n(f.rel_error)],
                "▶ " if mine else "* " if c.key in kinks else "  ",
            ),
            "reverse" if mine else "",
        )
    worst_c, worst_f = gradcheck.max_rel_error(central), gradcheck.max_rel_error(forward)
    out.append(("" if compact else "\n") + t("ui_gc_worst", lang, central=n(worst_c), forward=n(worst_f)) + "\n")
    if kinks:
        out.append(t(f"gc_kink_{s.hidden}", lang) + "\n", "italic")
        # the verdict on the other rows: at a kink the quotient and the convention differ by design
        worst_c = gradcheck.max_rel_error([c for c in central if c.key not in kinks])
    ok = worst_c < OK_REL_ERROR  # False for NaN: a row that cannot be checked never reads as agreeing
    if not gradcheck.checkable(central):
        out.append(t("ui_gc_cannot", lang), "bold reverse")
    elif ok or math.isclose(h, gradcheck.DEFAULT_H):
        out.append(t("ui_gc_ok" if ok else "ui_gc_bad", lang, value=n(worst_c)), "bold" if ok else "bold reverse")
    else:
        out.append(t("ui_gc_h_note", lang, h=h_text(h)), "bold")
    return out


def walk_text(w: gradcheck.Walk, sweeps: dict[str, gradcheck.Sweep], lang: str, comma: bool) -> Text:
    """The walk-through of one parameter (tui.text.report.walk_lines, as the command line prints it)
    under a line naming it, then the best h of each method."""
    out = Text(end="")
    out.append(
        t(
            "ui_fd_header",
            lang,
            sym=fmt.param(w.key),
            name=gradcheck.key_name(w.key),
            method=t(f"ui_gc_{w.method}", lang),
            h=h_text(w.h),
        )
        + "\n",
        "bold",
    )
    for line in report.walk_lines(w, report.Text(lang, comma)):
        out.append(line + "\n", "italic" if line.startswith("*") else "")
    out.append(best_text(sweeps, lang), "dim")
    return out


def best_text(sweeps: dict[str, gradcheck.Sweep], lang: str) -> str:
    def best(sw: gradcheck.Sweep) -> str:
        return "—" if sw.best is None else h_text(sw.best_h)

    return t("ui_fd_best", lang, forward=best(sweeps["forward"]), central=best(sweeps["central"]))


def plot_title(sweeps: dict[str, gradcheck.Sweep], sym: str, lang: str) -> str:
    """What the plot shows, or why it is empty: every error exactly 0 (θ does not move L), or none finite."""
    errors = [e for sw in sweeps.values() for e in sw.errors]
    if any(math.isfinite(e) and e > 0 for e in errors):
        return t("ui_fd_plot_title", lang, sym=sym)
    return t("ui_fd_plot_zero" if all(e == 0 for e in errors) else "ui_fd_plot_none", lang)


def decade(k: int) -> str:
    return "10" + fmt.sup(k)


class ErrorPlot(SafePlot):
    """|quotient − backprop| against h, log–log (log₁₀ of both drawn on linear axes, labelled 10ᵏ).

    `show` says what to draw; the figure is set up when it is painted, at the size it is painted
    (tui/app/widgets/plot.py): the ticks depend on the width."""

    def show(self, sweeps: dict[str, gradcheck.Sweep], h: float, lang: str) -> None:
        self.build = lambda plot: self._build(sweeps, h, lang)
        self.refresh()

    def _build(self, sweeps: dict[str, gradcheck.Sweep], h: float, lang: str) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        theme = self.app.current_theme
        self.theme = "clear" if theme.ansi else "auto"
        colours = (
            {"forward": None, "central": None, "mark": None}
            if theme.ansi
            else (
                {"forward": "cyan", "central": "orange", "mark": "white"}
                if theme.dark
                else {"forward": "blue", "central": "red", "mark": "black"}
            )
        )
        ys: list[float] = []
        for method, marker in (("forward", "f"), ("central", "c")):
            sw = sweeps[method]
            pts = [(math.log10(x), math.log10(e)) for x, e in zip(sw.hs, sw.errors) if math.isfinite(e) and e > 0]
            if not pts:
                continue
            px, py = zip(*pts)
            ys += py
            plt.plot(list(px), list(py), marker=marker, color=colours[method])
            if sw.best is not None and sw.best_error > 0:
                plt.scatter([math.log10(sw.best_h)], [math.log10(sw.best_error)], marker="◆", color=colours["mark"])
        hs = sweeps["forward"].hs
        lo_x, hi_x = math.floor(math.log10(min(hs))), math.ceil(math.log10(max(hs)))
        plt.xlim(lo_x, hi_x)
        plt.vline(math.log10(h), colours["mark"])
        width, height = self.size.width, self.size.height
        step = 1 if width >= 80 else 2 if width >= 44 else 3
        xt = list(range(hi_x, lo_x - 1, -step))
        plt.xticks(xt, [decade(k) for k in xt])  # type: ignore[arg-type]  # plotext: list[float], invariant
        if ys:
            lo, hi = math.floor(min(ys)), math.ceil(max(ys))
            if hi == lo:
                hi += 1
            plt.ylim(lo, hi)
            rows = max(height - 4, 2)
            ystep = max(1, math.ceil((hi - lo) / max(rows // 2, 1)))
            yt = list(range(hi, lo - 1, -ystep))
            plt.yticks(yt, [decade(k) for k in yt])  # type: ignore[arg-type]  # plotext: list[float], invariant
        else:  # nothing on a log axis: plot_title says why
            plt.ylim(0, 1)
            plt.yticks([])
        plt.xlabel(t("ui_fd_marks", lang))


class GradCheckBody(Static):
    pass


class GradCheckScreen(PicksParameter, TopScreen):
    # x exports what the App shows, l switches the language (the key table's Key.over); play may go on underneath
    OVERLAY = "gradcheck"

    BINDINGS = [
        Binding("escape", "close", show=False),
        Binding("g", "close", show=False),
        Binding("q", "close", show=False),
        Binding("plus,equals_sign", "h_up", show=False),
        Binding("minus,underscore", "h_down", show=False),
        *PicksParameter.PICK_BINDINGS,
        Binding("m", "method", show=False),
        Binding("tab", "pane", show=False),
    ]

    def __init__(self, snapshot: Snapshot, lang: str = "en", comma: bool = False, h: float = gradcheck.NOTES_H) -> None:
        super().__init__()
        self.snapshot, self.lang, self.comma, self.h = snapshot, lang, comma, h
        self.key, self.method = FIRST_KEY, "forward"
        self.compact, self.pane = True, "table"  # compact: the part above the walk-through (Tab: "plot")
        self._sweeps: tuple[tuple, dict[str, gradcheck.Sweep]] | None = None
        self.text = Text()
        self._drawn: tuple = ()  # what the plot was last drawn for

    def compose(self) -> ComposeResult:
        yield Static(id="gc-title")
        yield GradCheckBody(id="gradcheck-body")
        with Horizontal(id="gc-lower"):
            yield Static(id="gc-walk")
            with Vertical(id="gc-right"):
                yield Static(id="gc-plot-title")
                yield ErrorPlot(id="gc-plot")
        yield Static(id="gc-keys")

    def on_mount(self) -> None:  # play may go on underneath: follow the App's Snapshot and language
        self.watch(self.app, "snapshot", self._follow, init=False)
        self.watch(self.app, "lang", self._language, init=False)
        self._layout()

    def on_resize(self) -> None:
        self._layout()

    def _follow(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._redraw()

    def _language(self, lang: str) -> None:
        self.lang = lang
        self._redraw()

    def _layout(self) -> None:
        width, height = self.size
        self.compact = width < WIDE[0] or height < WIDE[1]
        self.set_class(self.compact, "-compact")
        self.set_class(self.compact and self.pane == "plot", "-plot")
        self._redraw()

    def sweeps(self) -> dict[str, gradcheck.Sweep]:
        """Both methods' error against h for the picked parameter (kept while sample and key stay)."""
        s = self.snapshot
        asked = (self.key, s.sample, s.hidden, s.output, s.params_start, float(s.y), tuple(s.x))
        if self._sweeps is None or self._sweeps[0] != asked:
            self._sweeps = (asked, {m: gradcheck.sweep_snapshot(s, self.key, m) for m in gradcheck.METHODS})
        return self._sweeps[1]

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        s, lang = self.snapshot, self.lang
        title = Text(
            t("ui_gc_title_h", lang, epoch=s.epoch + 1, i=s.sample + 1, h=h_text(self.h)),
            "bold",
            no_wrap=True,
            overflow="ellipsis",
            end="",
        )
        table = gradcheck_text(s, self.h, lang, self.comma, self.key, self.compact)
        sweeps = self.sweeps()
        walk = walk_text(gradcheck.walk_snapshot(s, self.key, self.h, self.method), sweeps, lang, self.comma)
        keys = t("ui_fd_keys", lang, tab=t("ui_fd_tab", lang) if self.compact else "")
        self.query_one("#gc-title", Static).update(title)
        self.query_one(GradCheckBody).update(table)
        self.query_one("#gc-walk", Static).update(walk)
        self.query_one("#gc-keys", Static).update(Text(keys, no_wrap=True, overflow="ellipsis"))
        title_text = plot_title(sweeps, fmt.param(self.key), lang)
        self.query_one("#gc-plot-title", Static).update(Text(title_text, "bold", no_wrap=True, overflow="ellipsis"))
        drawn = (id(sweeps), self.h, lang, tuple(self.size), self.app.theme)
        if self.query_one("#gc-right").display and drawn != self._drawn:  # play underneath: f b leave it as it is
            self._drawn = drawn
            self.query_one(ErrorPlot).show(sweeps, self.h, lang)
        self.text = Text("\n", end="").join([title, table, walk, Text(keys)])

    def _step_h(self, direction: int) -> None:
        k = min(range(len(H_LADDER)), key=lambda i: abs(math.log10(H_LADDER[i] / self.h)))
        k = min(max(k - direction, 0), len(H_LADDER) - 1)
        if H_LADDER[k] != self.h:
            self.h = H_LADDER[k]
            self._redraw()

    def action_h_up(self) -> None:
        self._step_h(+1)

    def action_h_down(self) -> None:
        self._step_h(-1)

    def action_method(self) -> None:
        self.method = "central" if self.method == "forward" else "forward"
        self._redraw()

    def action_pane(self) -> None:
        """Compact: the table or the plot above the walk-through (wide shows both: nothing to switch)."""
        if self.compact:
            self.pane = "plot" if self.pane == "table" else "table"
            self._layout()

    def action_close(self) -> None:
        self.close()
