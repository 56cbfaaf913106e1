"""Every user-facing string of the app and the command line, in English: the message ids of the
gettext catalogs (tui/locale/<lang>/LC_MESSAGES/backprop-tui.po, DESIGN §8).

`MESSAGES` maps the key a call site names (`t("ui_help_f", lang)`, `tn("n_epochs", n, lang)`) to its
English text, marked for extraction:

- `N_(text)`: one text;
- `Nn_(singular, plural)`: a count, said with `tn(key, n, lang)`; each language's catalog holds as
  many forms as its Plural-Forms header asks for (English and Portuguese two: n = 1 and the rest);
- `C_(context, text)`: a text whose English is the same as another's but whose translation is not
  (the key bar's "update" is a verb, the vocabulary's a noun): the context is the gettext msgctxt.

Texts are `str.format` templates with named {placeholders}; a translation keeps the same names
(tests/tui/text/test_i18n.py checks every catalog). Extract the template with Babel
(`pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 -k C_:1c,2 --no-default-keywords
-o tui/locale/backprop-tui.pot .`, DESIGN §9 "How to add a language").
"""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    """An English message id: its text, the plural (a count) and the gettext context, if any."""

    text: str
    plural: str | None = None
    context: str | None = None


def N_(text: str) -> Message:
    return Message(text)


def Nn_(singular: str, plural: str) -> Message:
    return Message(singular, plural)


def C_(context: str, text: str) -> Message:
    return Message(text, None, context)


MESSAGES: dict[str, Message] = {
    "preactivation": N_("pre-activation"),
    "activation": N_("activation"),
    "local_error": N_("local error"),
    "gradient": N_("gradient"),
    "learning_rate": N_("learning rate"),
    "epoch": N_("epoch"),
    "sample": N_("sample"),
    "loss": N_("loss"),
    "forward_pass": N_("forward pass"),
    "backward_pass": N_("backward pass"),
    "update": C_("update", "update"),
    "hidden": N_("hidden"),
    "output": N_("output"),
    "diverged": N_("diverged at epoch {epoch}"),
    # targets outside the output activation's range (issue 12, item 5)
    "target_range": N_(
        "warning: target y = {y} (sample {i}) is outside {range}, the range of the output "
        "activation {output}: the loss cannot reach 0"
    ),
    "target_range_more": Nn_(" (1 more target outside it)", " ({n} more targets outside it)"),
    "ui_status_target": N_("⚠ y outside {range}"),
    # command line (tui/cli/, tui/text/report.py) and transcripts (engine/export.py labels)
    "cli_trace_title": N_("Backpropagation, step by step"),
    "cli_setup": N_(
        "2–2–1 network, hidden activation {hidden}, output activation {output}, learning rate {eta} = {lr}"
    ),
    "cli_step": N_("Epoch {epoch}, sample {sample}"),
    "cli_gradients": N_("gradients"),
    "cli_parameters": N_("parameters"),
    "cli_params_after": N_("parameters after the update"),
    # trace --format python | notebook (engine/program.py's labels; exercise 4(a))
    "prog_header": Nn_(
        "Written by backprop-tui trace --format {format} for {n} sample-step of the model {name}: "
        "each micro-step is the NumPy lines the app shows (key P). Run it: it prints every value "
        "the trace prints, at full precision. It needs only NumPy.",
        "Written by backprop-tui trace --format {format} for {n} sample-steps of the model {name}: "
        "each micro-step is the NumPy lines the app shows (key P). Run it: it prints every value "
        "the trace prints, at full precision. It needs only NumPy.",
    ),
    "prog_layout": N_(
        "W1[i-1, j-1] is the weight wᵢⱼ⁽¹⁾ from input i to hidden unit j, as the notes print W⁽¹⁾ "
        "(rows = inputs): so z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ is W1.T @ x + b1, and ∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ is "
        "np.outer(x, delta1)."
    ),
    "prog_model": N_("The model: the data set (one sample per row of X), the parameters and η"),
    "prog_steps": N_("The micro-steps of §2.9, one function each"),
    "prog_run": N_("The sample-steps, from the first sample of the data set (cycling through it)"),
    "prog_dataset_loss": N_(
        "L = (1/m) Σ Lᵢ over the data set (§2.1): the run stops at the end of an epoch where it is not finite"
    ),
    "cli_train_header": N_("{name}: {samples}, {epochs}"),
    "cli_params_final": N_("parameters after epoch {epoch}"),
    "cli_parameter": N_("parameter"),
    "cli_analytic": N_("analytic"),
    "cli_numeric": N_("numeric"),
    "cli_rel_error": N_("relative error"),
    "cli_gradcheck_central": N_("gradient check: central differences, h = {h}, mean loss over the data set (m = {m})"),
    "cli_gradcheck_forward": N_("gradient check: forward differences, h = {h}, mean loss over the data set (m = {m})"),
    "cli_gradcheck_max": N_("largest relative error: {value}"),
    "cli_output_failed": N_("cannot write the output: {reason}"),
    "cli_stdout_closed": N_("standard output is closed"),
    "cli_gradcheck_cannot": N_(
        "cannot check the gradient: the loss or a derivative is not finite at these parameters (overflow)"
    ),
    "cli_default": N_("default"),
    "cli_needs_terminal": N_(
        "the interactive app needs a terminal ({stream} is not one); for output to a file "
        "use backprop-tui trace, train, gradcheck or sweep"
    ),
    "app_rendering_unknown": N_(
        "{variable}={value}: expected stock (Textual's stock rendering) or nothing (the app's own)"
    ),
    "app_textual_old": N_("Textual {version} is too old for the app, which needs {pin} (pip install '{pin}')"),
    "app_textual_new": N_(
        "Textual {version} is newer than the app's rendering was checked on ({pin}): pip "
        "install '{pin}', or start the app on Textual's stock rendering with {variable}=stock"
    ),
    "app_textual_missing": N_(
        "Textual {version} lacks {names}, which the app's rendering needs: pip install "
        "'{pin}', or start the app on Textual's stock rendering with {variable}=stock"
    ),
    "app_driver_needs": N_(
        "cannot start the interactive app: Textual's terminal driver needs the {module} "
        "module, which this Python lacks; backprop-tui trace, train, gradcheck and sweep work "
        "without it"
    ),
    "preset_lecture": N_("the notes' worked example (exercise 2): one sample, η = 0.5"),
    "preset_xor": N_("XOR truth table, 4 samples"),
    "preset_and": N_("AND truth table, 4 samples"),
    "preset_or": N_("OR truth table, 4 samples"),
    "preset_nand": N_("NAND truth table, 4 samples"),
    # backprop-tui sweep (tui/cli/sweep.py)
    "cli_sweep_title": N_("sweep: {name}, {nets} × {epochs}, per-sample gradient descent (§2.9)"),
    "cli_sweep_setup": N_(
        "output activation {output}, {eta} = {lr}; the same starting points for every hidden activation"
    ),
    "cli_sweep_seeds": N_(
        "network n starts from small random weights drawn with seed {first} + n (seeds {first} … {last})"
    ),
    "cli_sweep_rule": N_("converged: final data-set loss L < {threshold}; diverged: L or a weight not finite"),
    "cli_sweep_hidden": N_("hidden"),
    "cli_sweep_converged": N_("converged"),
    "cli_sweep_diverged": C_("cli_sweep_diverged", "diverged"),
    "cli_sweep_median": N_("median L"),
    "cli_sweep_hist": Nn_(
        "hidden {hidden}: the one finite network ({count}), at its log₁₀ L",
        "hidden {hidden}: how many of the {count} finite networks end with each log₁₀ L",
    ),
    "cli_sweep_all_diverged": N_("hidden {hidden}: every network diverged, no histogram"),
    "cli_sweep_both": N_("use --activation or --activations, not both"),
    "cli_sweep_bad_list": N_("expected hidden activations separated by commas, from {choices}, got '{text}'"),
    # interactive app (tui/app/)
    "ui_title": N_("backprop-tui: backpropagation on the 2–2–1 network"),
    "ui_network": N_("Network"),
    "ui_values": N_("Values"),
    "ui_params": N_("Parameters"),
    "ui_explain": N_("Explain"),
    "ui_loss": N_("Loss"),
    "ui_phase_ready": N_("ready"),
    "ui_phase_F1": N_("F1 forward · hidden layer"),
    "ui_phase_F2": N_("F2 forward · output layer"),
    "ui_phase_B2": N_("B2 backward · output δ"),
    "ui_phase_B1": N_("B1 backward · hidden δ"),
    "ui_phase_U": N_("U update"),
    "ui_status_epoch": N_("epoch {epoch}"),
    "ui_status_sample": N_("sample {i} of {m}"),
    "ui_status_act": N_("hidden {hidden} · output {output}"),
    "ui_playing": N_("▶ training"),
    "ui_ex_ready_title": N_("Ready: sample {i} of {m}"),
    "ui_ex_ready": N_("Input x = ({x1}{sep}{x2}), target y = {y}; the forward pass (§2.9 step 5) comes next."),
    "ui_ex_numpy": N_("NumPy · P: equations"),
    "ui_ex_numpy_ready": N_("Each micro-step will show its NumPy lines (exercise 4(a)); P: its equations."),
    "ui_ex_F1_title": N_("F1 · forward pass, hidden layer: pre-activations z and activations a (§2.3)"),
    "ui_ex_F2_title": N_("F2 · forward pass, output layer and loss (§2.3, §2.1)"),
    "ui_ex_B2_title": N_("B2 · backward pass, output layer: local error δ⁽²⁾ and gradients (§2.5)"),
    "ui_ex_B1_title": N_("B1 · backward pass, hidden layer: local errors δ⁽¹⁾ and gradients (§2.6)"),
    "ui_ex_U_title": N_("U · update: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b (§2.9 step 8)"),
    "ui_ex_train_title": N_("Training in epochs (§2.9 steps 3–10)"),
    "ui_ex_notes": N_("notes {value}"),
    "ui_ex_notes_where": N_("notes {value} (ex. {where})"),
    "ui_ex_notation": N_("notes {notes} ({where}) = {here} here"),
    "ui_ex_notation_short": N_("notes {notes} ({where})"),
    "ui_ex_local_error": N_("local error (§2.6)"),
    "ui_ex_layout": N_("∂L/∂W⁽¹⁾ = x δ⁽¹⁾ᵀ is shown like W⁽¹⁾ (rows = inputs); §4 prints it transposed, δ⁽¹⁾xᵀ."),
    "ui_ex_chain": N_("chain of §2.6:"),
    "ui_ex_step_flat": N_(
        "f' = 0: the step has no slope, so δ⁽¹⁾ = 0 and no error reaches the hidden weights; "
        "W⁽¹⁾ and b⁽¹⁾ never move, and the loss changes only through W⁽²⁾ and b⁽²⁾ (exercise "
        "6(b))."
    ),
    "ui_ex_kink_relu": N_(
        "{unit} = 0 exactly: ReLU has a kink there and f'(0) does not exist; the convention of "
        "the notes' table, f'(0) = 0, is used."
    ),
    "ui_ex_kink_step": N_(
        "{unit} = 0 exactly: the step jumps there and f'(0) does not exist; it is taken as 0, the slope on both sides."
    ),
    "ui_ex_rest": N_("the other parameters the same way: see Parameters"),
    "ui_ex_epoch_end": N_("End of epoch {epoch}: data-set loss L = {loss}"),
    "ui_ex_train": N_("Trained up to the end of epoch {epoch}: L = {loss}. One z undoes the whole run."),
    "ui_ex_reset": N_(
        "Reset parameters: the initial ones, epoch 1, sample 1; η and activations kept (R: the model as loaded)."
    ),
    "ui_ex_reset_loaded": N_(
        "Reset to the model as loaded (η = {lr}; {hidden}/{output}): its initial parameters, epoch 1, sample 1."
    ),
    "ui_ex_activation": N_(
        "Hidden activation is now {hidden}, output {output}: another model, so its loss "
        "history starts anew at epoch 1, sample 1."
    ),
    "ui_ex_lr": N_(
        "Learning rate η = {lr}; it is used at the update (U). The loss history goes on; the chart marks the change."
    ),
    "ui_ex_lr_after": N_("Learning rate η = {lr} from the next update on; the update below was made with η = {used}."),
    "ui_ex_load": N_("Model {name} loaded."),
    "ui_ex_diverged": N_("The loss is not finite: training diverged at epoch {epoch}."),
    "ui_next": N_("Next: {k} ({action}), or space."),
    "ui_next_diverged": N_("Press r to reset, and - for a smaller η."),
    "ui_key_forward": C_("ui_key_forward", "forward"),
    "ui_key_backward": N_("backward"),
    "ui_key_update": C_("ui_key_update", "update"),
    "ui_key_step": N_("step"),
    "ui_key_sample": N_("sample"),
    "ui_key_epoch": N_("epoch"),
    "ui_key_play": N_("play"),
    "ui_key_pause": N_("pause"),
    "ui_key_undo": N_("undo"),
    "ui_key_redo": N_("redo"),
    "ui_key_activation": N_("activation"),
    "ui_key_lr": N_("η"),
    "ui_key_reset": C_("ui_key_reset", "reset"),
    "ui_key_reset_loaded": N_("as loaded"),
    "ui_key_gradcheck": N_("grad check"),
    "ui_key_help": N_("help"),
    "ui_key_quit": N_("quit"),
    "ui_key_lang": N_("language"),
    "ui_key_theme": N_("theme"),
    "ui_key_log": N_("log scale"),
    "ui_key_numpy": N_("NumPy"),
    "ui_help_title": N_("Help: keys and micro-steps"),
    "ui_help_keys": N_("Keys"),
    "ui_help_phases": N_("Micro-steps (the phases of §2.9)"),
    "ui_help_f": N_("forward: F1, then F2"),
    "ui_help_b": N_("backward: B2, then B1"),
    "ui_help_u": N_("update the parameters (U)"),
    "ui_help_space": N_("next micro-step, whatever it is"),
    "ui_help_s": N_("finish the sample (f, b, u)"),
    "ui_help_e": N_("finish the epoch"),
    "ui_help_p": N_("play / pause training"),
    "ui_help_zy": N_("undo / redo one step"),
    "ui_help_a": N_("hidden activation σ → tanh → ReLU → step"),
    "ui_help_pm": N_("learning rate η up / down"),
    "ui_help_r": N_("reset parameters (keeps η, activations)"),
    "ui_help_R": N_("reset to the model as loaded, η too"),
    "ui_help_g": N_("gradient check (finite diff.)"),
    "ui_help_L": N_("loss chart: linear / log"),
    "ui_help_P": N_("NumPy lines / equations"),
    "ui_key_more": N_("more"),
    "ui_help_more": N_("page down / up (▼ more)"),
    "ui_more_below": N_("▼ {n} more"),
    "ui_more_above": N_("▲ {n} above"),
    "ui_more_keys_down": N_("↓/PgDn"),
    "ui_more_keys_up": N_("↑/PgUp"),
    "ui_help_l": N_("language: {languages}"),  # {languages}: every catalog's lang_name, " / " between
    "lang_name": N_("English"),  # the name of the catalog's own language, in that language: Português
    "ui_help_t": N_("theme: default / high contrast"),
    "ui_help_help": N_("this help"),
    "ui_help_q": N_("quit"),
    "ui_help_ready": N_("a new sample: x⁽ⁱ⁾, y⁽ⁱ⁾"),
    "ui_help_notation": N_(
        "w_ij⁽ˡ⁾ joins unit i of layer l−1 to unit j of layer l; W⁽¹⁾ has rows = inputs, as printed in the notes."
    ),
    "ui_help_notes_layout": N_(
        "The notes write {f1_notes} ({f1_where}) and {b1_notes} ({b1_where}): with W as "
        "printed (rows = inputs) these are {f1_here} and {b1_here}, as written here (the "
        "notes are not consistent about the layout)."
    ),
    "ui_help_output_symbols": N_(
        "The output layer has one unit: its z, δ and b carry no unit index here; the "
        "notes also write {z_notes} and {b_notes} for {z} and {b}."
    ),
    "ui_help_close": N_("Esc, ? or q closes this help."),
    "ui_refused_forward_done": N_("The forward pass is complete."),
    "ui_refused_backward_in_progress": N_("The backward pass has started."),
    "ui_refused_forward_first": N_("The forward pass comes first."),
    "ui_refused_backward_done": N_("The backward pass is complete."),
    "ui_refused_batch_not_done": N_("Batch mode: the update comes after the batch's last sample."),
    "ui_refused_sample_done": N_("This sample is finished."),
    "ui_refused_backward_first": N_("The backward pass comes first."),
    "ui_refused_already_updated": N_("The parameters are already updated."),
    "ui_refused_nothing_to_undo": N_("Nothing to undo: this is the start."),
    "ui_refused_nothing_to_redo": N_("Nothing to redo."),
    "ui_refused_diverged": N_("The loss diverged."),
    "ui_refused_learning_rate_max": N_("η is already at its largest value."),
    "ui_refused_learning_rate_min": N_("η is already at its smallest value."),
    "ui_refused_other": N_("Not possible now."),
    "ui_press": N_("Press {k} ({action})."),
    "ui_play_started": N_("Training… p pauses."),
    "ui_play_paused": N_("Paused at the end of epoch {epoch}."),
    "ui_play_target": N_("Target loss {target} reached at epoch {epoch}."),
    "ui_play_max": Nn_("Stopped at the maximum of {epochs} epoch.", "Stopped at the maximum of {epochs} epochs."),
    "ui_play_nothing": N_("Nothing to train: the stop condition already holds. r resets."),
    "ui_epoch_running": N_("Finishing the epoch: sample {sample} of {m}… z cancels."),
    "ui_epoch_busy": N_("Already finishing the epoch (sample {sample} of {m}): z cancels."),
    "ui_epoch_cancelled": N_("The epoch was cancelled before it finished."),
    "ui_epoch_then_play": N_("Training starts once the epoch is finished (sample {sample} of {m})."),
    "ui_diverged_notice": N_("Diverged at epoch {epoch}: the loss is not finite. r resets (and - lowers η)."),
    "ui_val_legend": N_("z pre-activation · a activation · δ local error"),
    "ui_val_legend_long": N_(
        "z pre-activation, a activation,\nf'(z) slope of the activation,\nδ = ∂L/∂z local "
        "error,\n∂L/∂a = w·δ⁽²⁾ local error of §2.6"
    ),
    "ui_par_value": N_("value"),
    "ui_loss_chart": N_("data-set loss L per epoch"),
    "ui_loss_new_activation": N_("new history: hidden {name}"),
    "ui_loss_new_output": N_("new history: output {name}"),
    "ui_loss_new_weights": N_("new history: weights edited"),
    "ui_loss_new_data": N_("new history: data edited"),
    "ui_loss_new_edit": N_("new history: model edited"),
    "ui_loss_new_load": N_("new history: {name} loaded"),
    "ui_loss_new_reset": N_("new history: reset"),
    "ui_loss_new_short": N_("new: {what}"),
    "ui_loss_what_weights": N_("weights"),
    "ui_loss_what_data": N_("data"),
    "ui_loss_what_edit": N_("edited"),
    "ui_loss_what_reset": C_("ui_loss_what_reset", "reset"),
    "ui_loss_sample": N_("this sample"),
    "ui_loss_scale_log": N_("log scale"),
    "ui_loss_scale_linear": N_("linear scale"),
    "ui_gc_title": N_("Gradient check: current sample, central differences, h = {h}"),
    "ui_gc_param": N_("parameter"),
    "ui_gc_analytic": N_("backprop"),
    "ui_gc_numeric": N_("finite diff."),
    "ui_gc_rel": N_("rel. error"),
    "ui_gc_ok": N_("Backprop agrees with finite differences: largest relative error {value}."),
    "gc_kink_relu": N_(
        "* a hidden unit at z = 0, ReLU's kink: f'(0) does not exist; backprop uses f'(0) = 0 (the "
        "notes' table), the quotient straddles the kink, so they differ there (not a bug)."
    ),
    "gc_kink_step": N_(
        "* a hidden unit at z = 0, the step's jump: f'(0) does not exist; backprop uses 0, the "
        "quotient sees the jump over h, so they differ there (not a bug)."
    ),
    "ui_gc_bad": N_("Mismatch: largest relative error {value}."),
    "ui_gc_cannot": N_("Cannot check: the loss or a gradient is not finite at these parameters (overflow)."),
    "ui_gc_close": N_("Esc or g closes."),
    "ui_too_small": N_("Enlarge the terminal to at least 80×24 (it is {w}×{h} now)."),
    "ui_theme": N_("Theme: {name}"),
    "ui_theme_default": N_("default"),
    "ui_theme_contrast": N_("high contrast"),
    "ui_lang": N_("Language: English"),
    "ui_undone": N_("Undo: step {pos} of {total} in the history (y redoes)."),
    "ui_redone": N_("Redo: step {pos} of {total} in the history."),
    "ui_net_legend": N_("─ positive  ╌ negative  ━ last step  ◀ δ flows back"),
    # quiz mode and editing (tui/app/widgets/quiz.py, tui/app/screens/edit.py)
    "ui_key_quiz": N_("quiz"),
    "ui_key_edit": N_("edit"),
    "ui_key_open": N_("open"),
    "ui_key_save": N_("save"),
    "ui_help_k": N_("quiz: ask before each step"),
    "ui_help_w": N_("edit weights, biases, data, η"),
    "ui_help_o": N_("open a model file (TOML)"),
    "ui_help_cs": N_("save the model as TOML"),
    "ui_quiz_ask": N_("Quiz · {phase}: {symbol} ="),
    "ui_quiz_new": N_("new {symbol}"),
    "ui_quiz_idle": N_("Quiz: f, b, u or space asks for a value before showing it; s, e and p do not ask."),
    "ui_quiz_decimals": Nn_("{n} decimal", "{n} decimals"),
    "ui_ex_down": N_("the loss went down"),
    "ui_ex_up": N_("the loss went up (η too large?)"),
    "ui_ex_same": N_("the loss stayed the same"),
    "ui_quiz_significant": Nn_("{n} significant digit", "{n} significant digits"),
    "ui_quiz_revealed": Nn_("({n} revealed)", "({n} revealed)"),
    "ui_quiz_again": N_("(answered before: not scored again)"),
    "ui_quiz_not_asked": N_("Quiz: {k} ran its micro-steps without asking; nothing was scored."),
    "ui_quiz_hint": N_("Enter answers · Esc reveals"),
    "ui_quiz_elsewhere": N_("Quiz: the question waits on the main screen (Esc goes back to it)."),
    "ui_quiz_score": N_("score {right}/{asked}"),
    "ui_quiz_right": N_("✓ Right: {symbol} = {value}"),
    "ui_quiz_wrong": N_("✗ Not {answer}: {formula}"),
    "ui_quiz_nonsense": N_("'{text}' is not a number; type e.g. {example} (not counted)."),
    "ui_quiz_empty": N_("Type a number, e.g. {example}; Esc reveals without scoring."),
    "ui_quiz_skipped": N_("Revealed (counted as asked): {formula}"),
    # issue 19: a second try with a hint (tui/app/quiz_hint.py), the tries counted apart
    "ui_quiz_tries": N_("1st {first} · 2nd {second}"),
    "ui_quiz_second_try": N_("2nd try"),
    "ui_quiz_right_second": N_("✓ Right at the second try: {symbol} = {value}"),
    "ui_quiz_retry": N_("✗ {hint} One more try (Esc reveals)."),
    "ui_quiz_hint_digits": N_("{answer} has fewer digits than asked: give {symbol} to {precision}."),
    "ui_quiz_hint_close": N_("{answer} is close, but not {symbol} to {precision}: round only the final result."),
    "ui_quiz_hint_sign": N_("{answer} has the size of {symbol} but the wrong sign: check the signs in {formula}."),
    "ui_quiz_hint_before": N_(
        "{answer} is {symbol} as the screen shows it before this step; the step computes {formula}."
    ),
    "ui_quiz_hint_shown": N_("{answer} is {other}, on the screen now, not {symbol} = {formula}."),
    "ui_quiz_hint_factor": N_("{answer} is {formula} with {wrong} in place of {right}: {symbol} takes {right}."),
    "ui_quiz_hint_missing": N_("{answer} leaves out {factor}: {symbol} = {formula}."),
    "ui_quiz_hint_missing_f": N_("{answer} leaves out the activation f: {symbol} = {formula}."),
    "ui_quiz_hint_missing_half": N_("{answer} leaves out the ½: {symbol} = {formula}."),
    "ui_quiz_hint_missing_square": N_("{answer} leaves out the square: {symbol} = {formula}."),
    "ui_quiz_hint_term_sign": N_("{answer} takes {factor} with the wrong sign: {symbol} = {formula}."),
    "ui_quiz_hint_fprime_missing": N_("{answer} is off by a factor {factor}, which it lacks: {symbol} = {formula}."),
    "ui_quiz_hint_fprime_extra": N_("{answer} is off by a factor {factor} too many: {symbol} = {formula}."),
    "ui_quiz_hint_inputs": N_("{answer} is not {symbol} = {formula}; it uses {inputs}."),
    "ui_quiz_log_failed": N_("Quiz log: cannot write {path} ({reason}); the quiz goes on without it."),
    "cli_quiz_log_bad": N_("--quiz-log {path}: {reason}"),
    "ui_edit_title": N_("Edit the model: each change starts it over from the values shown (z undoes it)"),
    "ui_edit_lr": N_("η learning rate"),
    "ui_edit_hidden": N_("hidden activation"),
    "ui_edit_output": N_("output activation"),
    "ui_edit_row": N_("sample {i}"),
    "ui_edit_add_row": N_("+ add a data row"),
    "ui_edit_more_rows": Nn_(
        "… 1 more sample, not listed here: edit it in the model file (ctrl+s saves it)",
        "… {n} more samples, not listed here: edit them in the model file (ctrl+s saves it)",
    ),
    "ui_edit_del_row": N_("− delete the last data row"),
    "ui_edit_help": N_("↑↓ choose · Enter edit · ctrl+s save · o open · Esc back"),
    "ui_edit_typing": N_("Enter applies · Esc cancels"),
    "ui_edit_done": N_("{field} = {value}: the model starts over (z undoes)."),
    "ui_edit_lr_done": N_("{field} = {value}: the loss history goes on, the chart marks the change (z undoes)."),
    "ui_edit_bad_number": N_("{field}: expected a number such as {example}, got '{text}'"),
    "ui_edit_bad_lr": N_("{field}: expected a number > 0, got '{text}'"),
    "ui_edit_last_row": N_("data: the data set needs at least one row"),
    "ui_edit_row_added": N_("Sample {i} added, a copy of the last one: edit its x₁, x₂ and y."),
    "ui_edit_row_deleted": N_("Sample {i} deleted."),
    "ui_path_open_title": N_("Open a model file (TOML)"),
    "ui_path_save_title": N_("Save the model as a TOML file (the parameters as they are now)"),
    "ui_path_help": N_("Enter confirms · Esc cancels"),
    "ui_path_exists": N_("{path} exists: Enter again replaces it."),
    "ui_path_empty": N_("Type a file name, e.g. {example}"),
    "ui_path_cannot_write": N_("{path}: cannot write the file: {reason}"),
    "ui_path_not_opened": N_("Not opened; nothing changed."),
    "ui_path_files": N_("Model files here: ↓ then ↑↓ to choose, Enter opens"),
    "ui_path_no_files": N_("No model file (.toml) in this folder: type a path."),
    "ui_path_more": Nn_("… and 1 more (type its name)", "… and {n} more (type a name)"),
    "ui_path_more_capped": Nn_(
        "… and 1 more at least: a very large folder, only part of it read (type a name)",
        "… and {n} more at least: a very large folder, only part of it read (type a name)",
    ),
    "ui_saved": N_("Saved to {path}."),
    "ui_opened": N_("Opened {path}: the model starts over (z goes back)."),
    # backprop-tui serve: files only in --files DIR (tui/host/files.py), exports as downloads
    "files_outside": N_(
        "{path}: outside the folder for files on this server; type a name inside it, such as model.toml."
    ),
    "files_control": N_("A file name cannot hold control characters (line breaks, tabs, escapes)."),
    # a class session (tui/host/session.py, DESIGN §13): why a join is refused or a student let go
    "session_address": N_("{address}: not an address; expected [HOST:]PORT, such as 127.0.0.1:8765 or 8765."),
    "session_reason_code": N_("The join code is wrong: ask the lecturer for the code on their screen."),
    "session_reason_version": N_("The lecturer runs another version of backprop-tui: use the same one."),
    "session_reason_name": N_("A name is needed: give one with --name (letters, not only spaces)."),
    "session_reason_full": N_("The session is full (--max-students); trying again."),
    "session_reason_protocol": N_("That address does not answer as a backprop-tui session."),
    "session_reason_abuse": N_("Too many messages the session does not accept: disconnected."),
    "session_reason_slow": N_("This screen fell too far behind the lecturer: disconnected."),
    "session_reason_replaced": N_("The same student joined again from another connection."),
    "session_ended": N_("The lecturer ended the session; this app keeps working where it was."),
    "session_lost": N_("Lost the lecturer ({reason}); reconnecting."),
    "ui_export_download": N_("Export sent to the browser as the download {file} ({files})."),
    "ui_export_download_partial": N_(
        "Export sent to the browser as the download {file} ({files}). The "
        "Markdown/LaTeX transcript needs a finished sample: press s, then x."
    ),
    "ui_export_pending": Nn_(
        "The browser has not fetched the last export: allow this page's pop-ups (they are "
        "the downloads), then x again.",
        "The browser has not fetched the last {n} exports: allow this page's pop-ups (they "
        "are the downloads), then x again.",
    ),
    "cli_serve_on": N_("serving on {url} (Ctrl+C stops)"),
    "cli_serve_files": N_(
        "files: each tab saves model files only in a folder of its own, {folder}/tab-N, and "
        "opens them from there or, read-only, from {folder} (put files for everyone there); x "
        "is a download"
    ),
    "cli_serve_beyond": N_(
        "warning: listening beyond this machine ({host}): anyone who reaches port {port} can "
        "run the app (one process of ~60 MB per tab) and open and save files in {folder}"
    ),
    "cli_serve_kept": N_("the files saved from the browser stay in {folder}"),
    "cli_serve_full": Nn_(
        "This server already serves 1 tab, its limit (--max-tabs): try again later.",
        "This server already serves {n} tabs, its limit (--max-tabs): try again later.",
    ),
    "ui_input_dropped": N_("Keys dropped: {n} (they came faster than the app can handle them; at most {limit} wait)."),
    # issue 4: activation view (v), gradient check (g), export (x), sweep screen (W)
    "ui_key_activation_view": N_("f(z) plot"),
    "ui_key_export": N_("export"),
    "ui_key_sweep": N_("sweep"),
    "ui_help_v": N_("activation f and f' with each z"),
    "ui_help_x": N_("export .md .tex .svg, loss .csv"),
    "ui_help_W": N_("sweep: many random nets at once"),
    "ui_act_title": N_("Activation functions (§1.5, exercise 1): f and f' over [−{r}, {r}]"),
    "ui_act_layer_hidden": N_("hidden layer: {name}"),
    "ui_act_layer_output": N_("output layer: {name}"),
    "ui_act_f": N_("f(z) = {formula}"),
    "ui_act_fprime": N_("f'(z) = {formula}"),
    "ui_act_table": N_("f and f' at z = −4 … 4 (§1.6)"),
    "ui_act_units": N_("this sample"),
    "ui_act_no_z": N_("z not computed yet: press f."),
    "ui_act_saturated": N_("f' small: saturated, little gradient flows back"),
    "ui_act_dead": N_("f' = 0: no gradient flows back"),
    "ui_act_kink_relu": N_("kink at 0: f'(0) does not\n  exist; the notes' table\n  uses f'(0) = 0 (●, not ○)"),
    "ui_act_kink_step": N_("jump at 0: f'(0) does not\n  exist (○); 0 is used, the\n  slope on both sides"),
    "ui_act_at_kink_relu": N_("z = 0: kink, f'(0) = 0 used"),
    "ui_act_at_kink_step": N_("z = 0: jump, f'(0) = 0 used"),
    "ui_act_keys": N_("o hidden/output · a activation · f b u step · Esc or v closes"),
    "ui_gc_title_h": N_("Gradient check: epoch {epoch}, sample {i}, step h = {h}"),
    "ui_gc_methods": N_("central (L(θ+h) − L(θ−h))/2h, error ∝ h²\nforward (L(θ+h) − L(θ))/h, error ∝ h"),
    "ui_gc_central": N_("central"),
    "ui_gc_forward": C_("ui_gc_forward", "forward"),
    "ui_gc_worst": N_("largest relative error: central {central} · forward {forward}"),
    "ui_gc_h_note": N_(
        "With h = {h} the finite differences themselves are off: truncation error for large h, "
        "rounding error for tiny h."
    ),
    "ui_export_done": N_("Exported {files} to {folder}."),
    "ui_export_partial": N_(
        "Exported {files} to {folder}. The Markdown/LaTeX transcript needs a finished sample: press s, then x."
    ),
    "ui_export_failed": N_("Export failed, nothing was written: {error}. Choose a writable folder with --export-dir."),
    "ui_sweep_title": N_("Sweep: {nets} × {epochs} on {name}, each from a random start"),
    "ui_sweep_setup": N_("output {output}, η = {lr}; seeds {first} … {last}; converged: final L < {threshold}"),
    "ui_sweep_running": N_("training… {hidden}: epoch {epoch} of {epochs}"),
    "ui_sweep_done": N_("done in {seconds} s"),
    "ui_sweep_cancelled": N_("stopped"),
    "ui_sweep_hist": N_("log₁₀ of the final loss, hidden {hidden} ({networks})\nthe line is L = {threshold}"),
    "ui_sweep_hist_right": N_(
        "log₁₀ of the final loss, hidden {hidden} ({networks})\nL = {threshold} is right of "
        "the axis (log₁₀ L = {at}): all below it"
    ),
    "ui_sweep_hist_left": N_(
        "log₁₀ of the final loss, hidden {hidden} ({networks})\nL = {threshold} is left of "
        "the axis (log₁₀ L = {at}): all above it"
    ),
    "ui_sweep_no_hist": N_("hidden {hidden}: every network diverged, no histogram"),
    "ui_sweep_keys": N_("n networks · e epochs · Tab activation · r run again · Esc or W closes"),
    # --- finite-difference walk-through (issue 12 item 1: exercise 2(d), `g` and gradcheck --param) ---
    "fd_forward": N_("forward differences"),
    "fd_central": N_("central differences"),
    "fd_backprop": N_("backprop {grad}"),
    "fd_difference": N_("difference"),
    "fd_rel": N_("relative error"),
    "fd_notes": N_(
        "* the notes print L⁺ ≈ {printed} ({loss} + {h} × {grad}, from L rounded to {loss}); the exact "
        "L(θ + h) is {exact}"
    ),
    "cli_fd_header": N_(
        "finite differences for {sym} ({name}): {method}, h = {h}, L = mean loss over the data set (m = {m})"
    ),
    "ui_fd_header": N_("{sym} ({name}) · {method} · h = {h} · L = Lᵢ of this sample"),
    "ui_fd_keys": N_("↑↓ parameter · +− h · m forward/central{tab} · Esc closes"),
    "ui_fd_tab": N_(" · Tab table/plot"),
    "ui_fd_plot_title": N_("|quotient − backprop| against h (log–log): {sym}"),
    "ui_fd_best": N_("best h: forward {forward} · central {central}"),
    "ui_fd_marks": N_("h: f forward, c central, ◆ best, │ in use"),
    "ui_fd_plot_zero": N_(
        "Every quotient equals backprop exactly: θ does not change L here (an input of 0, a dead unit)."
    ),
    "ui_fd_plot_none": N_("No finite error to plot (overflow)."),
    # depth view, exercise 6(c) (issue 12 item 3): tui/text/depth.py, tui/cli/depth.py, tui/app/screens/depth.py
    "depth_title": Nn_(
        "Depth (exercise 6c): k = {k} hidden layer of 2 units, hidden {hidden}, output {output}, seed {seed}",
        "Depth (exercise 6c): k = {k} hidden layers of 2 units, hidden {hidden}, output {output}, seed {seed}",
    ),
    "depth_setup": N_("x = {x}, y = {y}: ŷ = {yhat}, Lᵢ = {loss}"),
    "depth_weights": N_(
        "Layer 1 and the output layer are the model's; layers 2…k are rotations by seeded angles "
        "(‖Wδ‖ = ‖δ‖) with bias b⁽¹⁾, so from layer to layer |δ| changes by f' alone."
    ),
    "depth_out_row": N_("{l} ŷ"),
    "depth_bar_head": N_("|δ⁽ˡ⁾|, log scale"),
    "depth_legend_bar": N_(
        "{mark} the σ' ≤ {quarter} line: the most |δ⁽ˡ⁾| can be when the hidden layers are sigmoids"
    ),
    "depth_legend_product": N_(
        "Π max f': the largest f'(z) of each hidden layer only, multiplied from layer k "
        "down to l (a bound, not what δ gets); σ' ≤ {quarter} keeps it ≤ {quarter}ⁿ (n = k "
        "− l + 1). δ₁, δ₂: each unit's own δ⁽ˡ⁾ⱼ = (W⁽ˡ⁺¹⁾δ⁽ˡ⁺¹⁾)ⱼ f'(zⱼ⁽ˡ⁾)"
    ),
    "depth_legend_dead": N_("{mark} dead unit: f'(z) = 0, so its δ is 0 and it passes no error down ({where})"),
    "depth_dead": Nn_("layer {l}, unit {units}", "layer {l}, units {units}"),
    "depth_legend_alive": N_("No dead unit: every f'(z) ≠ 0, each unit passes its error on"),
    "depth_summary": N_("From the output down to layer 1 the error's length was multiplied by {ratio}."),
    "depth_summary_cut": N_("No gradient reaches layer 1: δ{sl} = 0 at layer {l} ({activation}). {why}."),
    "depth_summary_zero": N_("δ at the output is 0: there is nothing to propagate. {why}."),
    "depth_unit": Nn_("Unit {j}: {why}", "Units {first} and {last}: {why}"),
    "depth_why_no_error": N_("{up} = 0, no error reached it"),
    "depth_why_no_error_out": N_("ŷ = y"),
    "depth_why_relu_off": N_("z = {z} ≤ 0, where ReLU's f'(z) = 0"),
    "depth_why_step_flat": N_(
        "the step's f'(z) = 0 at every z ≠ 0 (and is taken as 0 at z = 0, where it does not exist)"
    ),
    "depth_why_saturated": N_(
        "z = {z} saturates {activation}: f(z) rounds to {limit} in double precision, so "
        "f'(z), positive in exact arithmetic, computes to 0"
    ),
    "depth_why_zero_slope": N_("f'(z) = 0 at z = {z}"),
    "depth_why_underflow": N_(
        "{up}·f'(z) = {u}·{fp}: the product is below half the smallest positive double (4.9e−324) and underflows to 0"
    ),
    "depth_keys": N_("← → 0–9 layers k · a activation · n seed · x export · Esc or d closes"),
    "ui_key_depth": N_("depth"),
    "ui_help_d": N_("depth: |δ| through k layers"),
    # issue 12 item 2: activations side by side (exercise 5): backprop-tui compare, the c screen
    "cmp_title": N_("Exercises 5 and 6(b): sigmoid, tanh, ReLU and step on the same sample and weights"),
    "cmp_setup": N_("epoch {epoch}, sample {sample}: x = {x}, y = {y}; output {output} (kept)"),
    "cmp_after": N_("after one update (η = {lr}): before → after"),
    "cmp_losses": N_("Lᵢ: this sample's loss; L: the data set's, (1/m) Σ Lᵢ with m = {m}"),
    "cmp_marks": N_("{largest} largest, {smallest} smallest |∂L/∂θ| of each row (across the activations)"),
    "cmp_history": Nn_("L over {epochs} epoch from these weights", "L over {epochs} epochs from these weights"),
    "cmp_training": Nn_("training {epochs} epoch of each activation…", "training {epochs} epochs of each activation…"),
    "cmp_read_title": N_("What these numbers say"),
    "cmp_and": N_("and"),
    "cmp_read_grad": N_("Largest hidden gradient on this sample: {names} (‖δ⁽¹⁾‖ = ‖∂L/∂b⁽¹⁾‖: {values})."),
    "cmp_read_grad_equal": N_("The hidden gradients ‖δ⁽¹⁾‖ of this sample are equal in size ({values})."),
    "cmp_read_fall": Nn_(
        "Fastest fall of L over {epochs} epoch: {names} (how much L fell: {values}).",
        "Fastest fall of L over {epochs} epochs: {names} (how much L fell: {values}).",
    ),
    "cmp_read_diverged": C_("cmp_read_diverged", "diverged"),
    # {share}, {change}, {above}: percentages with their sign ("10 %"): a "%" in a message id reads as a
    # %-format to Babel's checker
    "cmp_read_stalled": N_(
        "Stalled (over the last {share} of the epochs L changed by less than {change}, still "
        "above {above} of L₀): {which}."
    ),
    "cmp_read_at": N_("{name} at L = {value}"),
    "cmp_read_why": N_(
        "A larger gradient is a larger first step, not a faster descent: how L falls over many "
        "steps depends on where the steps lead{reasons}."
    ),
    "cmp_read_dead": Nn_(
        "; {name} ended with a dead hidden unit (f'(z) = 0 on every sample: it learns no more)",
        "; {name} ended with {count} dead hidden units (f'(z) = 0 on every sample: they learn no more)",
    ),
    "cmp_read_saturated": N_("; {names} ended with a saturated unit (f'(z) < {limit} on every sample)"),
    "cmp_read_agree": N_("Here the larger hidden gradient went with the faster fall of L."),
    "cmp_diverged": N_("{hidden}: diverged at epoch {epoch}"),
    "cmp_keys": N_("+ / − epochs · L log · s next sample · x export · Esc or c closes"),
    "cmp_keys_paged": N_("Tab page {page}/{pages} · +/− epochs · L log · s sample · x export · Esc closes"),
    "ui_key_compare": N_("compare"),
    "ui_help_c": N_("compare σ, tanh, ReLU, step"),
    # --- decision surface (issue 13: the h view, `backprop-tui surface`) ---
    "surface_text_title": N_("ŷ over a {nx}×{ny} grid, one character a point (rows from x₂ high to low):"),
    "surface_text_model": Nn_(
        "{name}: hidden {hidden}, output {output}, after {epochs} epoch of training, L = {loss}",
        "{name}: hidden {hidden}, output {output}, after {epochs} epochs of training, L = {loss}",
    ),
    "surface_clipped": N_("(values beyond the ends clipped)"),
    "surface_right": N_("right"),
    "surface_wrong": N_("wrong"),
    "surface_at_half": N_("at {half}"),
    "surface_right_count": N_("{right} of {m} right at {half}"),
    "ui_key_surface": N_("surface"),
    "ui_help_h": N_("decision surface ŷ(x₁, x₂)"),
    "ui_surf_title": N_("Decision surface ŷ(x₁, x₂) · L = {loss} (data-set loss of the net drawn)"),
    "ui_surf_units": N_("hidden units, their lines z = 0"),
    "ui_surf_colours": N_("colour from blue ({low}) to orange ({high}), the line ŷ = 0.5, ○ y < 0.5 ● y ≥ 0.5"),
    "ui_surf_hidden": N_("hidden space and the output's line:"),
    "ui_surf_keys": N_("+ − zoom · 0 whole span · p play · u update · x export · Esc or h closes"),
    "ui_surf_keys_short": N_("+ − zoom · 0 span · p play · Esc/h closes"),
    # issue 13, items 4-6: predictions (T), presenter mode and captions, clickable key bar
    "ui_key_predictions": N_("predictions"),
    "ui_help_T": N_("predictions: ŷ per row, ✓ ✗"),
    "ui_key_palette": N_("commands"),
    "ui_help_cp": N_("find a command by name"),
    "ui_cmd_undo": N_("undo one step"),
    "ui_cmd_redo": N_("redo one step"),
    "ui_cmd_lr_up": N_("learning rate η up"),
    "ui_cmd_lr_down": N_("learning rate η down"),
    "ui_cmd_more_down": N_("Explain: next page (▼ more)"),
    "ui_cmd_more_up": N_("Explain: previous page"),
    "ui_palette_placeholder": N_("part of a command's name (Esc closes)"),
    "ui_palette_key": N_("key {shown}"),
    "ui_palette_none": N_("no command is named “{query}”: the help lists every key"),
    "ui_pred_title": N_("Predictions · {name} · ŷ ≥ {half} reads as 1, below as 0"),
    "ui_pred_right": N_("✓ right"),
    "ui_pred_wrong": N_("✗ wrong"),
    "ui_pred_count": N_("{right} of {m} right ✓, {wrong} wrong ✗"),
    "ui_pred_all": Nn_("the only row", "all {m} rows"),
    "ui_pred_first": N_("rows {a}–{b} of {m}"),
    "ui_pred_learned": N_("every row right: the net has learned the data"),
    "ui_pred_keys": N_("p play · f b u ␣ steps · x export · l language · Esc or T closes"),
    "ui_pred_status": N_("right {right}/{m}"),
    "ui_caption_end": N_("end of the script · q quits"),
    # exercise 6(a), the chain rule in words, and 3(d) (issue 19): tui/text/chain.py, the C view, backprop-tui chain
    "ui_key_chain": N_("chain rule"),
    "ui_help_C": N_("chain rule, factor by factor"),
    "ui_more_keys_pgdn": N_("PgDn"),
    "ui_more_keys_pgup": N_("PgUp"),
    "chain_title": N_("Chain rule (exercise 6a): {grad}, from the loss back to {sym} (§{section})"),
    "chain_record": N_(
        "Epoch {epoch}, sample {i}: the record of this sample's backward pass (hidden {hidden}, output {output})."
    ),
    "chain_computed": N_(
        "Epoch {epoch}, sample {i}: not through the backward pass yet ({phase}), so computed "
        "from the parameters on screen (hidden {hidden}, output {output})."
    ),
    "chain_model": N_("Model {name}, sample {i}: hidden {hidden}, output {output}, the parameters as loaded."),
    "chain_how_loss": N_("how the loss changes with {by}"),
    "chain_how": N_("how {of} changes with {by}"),
    "chain_running": N_("running product"),
    "chain_is_delta_out": N_("the output's local error (§2.5)"),
    "chain_is_da": N_("hidden unit {j}'s local error δ_a of §2.6"),
    "chain_is_delta_hidden": N_("hidden unit {j}'s local error (§2.6)"),
    "chain_is_grad": N_("the gradient"),
    "chain_total": N_("Product of the {n} factors: {product}; the backward pass computed {grad} = {value}: {verdict}"),
    "chain_same": N_("the same ✓"),
    "chain_differs": N_("different ✗"),
    "chain_group_title": N_("Exercise 3(d): gradient = previous activation × local error"),
    "chain_group_delta": N_(
        "{delta} = factors 1–{k} multiplied: the local error of {unit}, ∂L/∂{z}: how the loss changes with {z}."
    ),
    "chain_unit_out": N_("the output"),
    "chain_unit_hidden": N_("hidden unit {j}"),
    "chain_group_prev": N_(
        "{prev} = factor {k}: the previous activation, the one {sym} multiplies: how strongly the unit was driven."
    ),
    "chain_group_input": N_("In layer 1 the previous activation is the input itself: a⁽⁰⁾ = x."),
    "chain_group_bias": N_(
        "1 = factor {k}: a bias is fed by the constant 1, so its gradient is the local error itself."
    ),
    "chain_vanish": N_("Factor {k} is 0, so every product from it on is 0: this is where the gradient vanishes."),
    "chain_step_flat": N_("The step is flat on both sides of its jump: f'(z) = 0 wherever it exists (exercise 6(b))."),
    "chain_relu_off": N_("{z} = {value} < 0: ReLU is flat there, f'(z) = 0."),
    "chain_flat": N_("{z} = {value}: f'(z) computes to 0 here ({activation} saturates in double precision)."),
    "chain_keys": N_("↑↓ parameter · f b u ␣ s a · Esc closes"),
    # counted nouns (i18n.tn): the singular under the key, the plural under key_n
    "n_samples": Nn_("{n} sample", "{n} samples"),
    "n_epochs": Nn_("{n} epoch", "{n} epochs"),
    "n_networks": Nn_("{n} network", "{n} networks"),
    # batch and mini-batch descent (issue 19): §2.1's L = (1/m) Σ Lᵢ, one update per batch
    "cli_batch_full": N_("batch gradient descent: one update per epoch with the mean gradient of all {samples}"),
    "cli_batch_mini": Nn_(
        "mini-batch gradient descent: one update per {size} sample with its gradient",
        "mini-batch gradient descent: one update per {size} samples with their mean gradient",
    ),
    "cli_batch_short": Nn_(
        " (the last batch of an epoch has {n} sample: its gradient is the mean)",
        " (the last batch of an epoch has {n} and averages over them)",
    ),
    "cli_batch_shuffled": N_("; samples in a new random order each epoch (seed {seed})"),
    "cli_batch_step": Nn_(
        "Epoch {epoch}, batch {batch}: sample {samples}", "Epoch {epoch}, batch {batch}: samples {samples}"
    ),
    "cli_batch_sample": N_("sample {sample}: x = {x}, y = {y}"),
    "cli_batch_update": N_("update with the mean of the batch's gradients, gₖ = ∂Lₖ/∂θ of sample k (η = {lr})"),
    "cli_batch_formats": N_("--batch writes text or json (got --format {format})"),
    "cli_shuffle_needs_batch": N_("--shuffle needs --batch here (per-sample trace visits the samples in file order)"),
    "ui_key_batch": N_("batch"),
    "ui_help_m": N_("batch: per-sample → full → mini-batch 2"),
    "ui_batch_per_sample": N_("per-sample"),
    "ui_batch_full": N_("full batch"),
    "ui_batch_mini": N_("mini-batch {size}"),
    "ui_status_batch": N_("{mode} {i}/{n}"),
    "ui_status_batch_next": N_("→ {mode} next epoch"),
    "ui_ex_batch": N_("Mode: {mode}. Each update now uses the mean gradient of its batch (§2.1: L = (1/m) Σ Lᵢ)."),
    "ui_ex_batch_per_sample": N_("Per-sample descent: each sample updates the weights (§2.9)."),
    "ui_ex_batch_next": N_(
        "Mode: {mode} from the next epoch on (an epoch's batches are all of one size); until then {now}."
    ),
    "ui_ex_batch_collect": N_(
        "Sample {i} of the batch {first}–{last}: its gradient g{k} is kept; no update until "
        "the batch's last sample ({next} continues)."
    ),
    "ui_ex_batch_mean": N_("gₖ = ∂Lₖ/∂θ of sample k; the update uses their mean over the batch (samples {samples})."),
    "ui_ex_U_batch_title": N_("U · update with the batch's mean: ∂L/∂θ = (1/n) Σ gₖ, θ ← θ − η ∂L/∂θ (§2.1, §2.9)"),
    "ui_loss_other_mode": N_("⣀ {now} • {mode}"),
    "key_space": N_("space"),
    # the activations as a person reads them (act_name): the machine names (--activation sigmoid, TOML/JSON
    # "sigmoid") stay as they are; the notes write "sigmoide" in Portuguese (issue 19)
    "act_sigmoid": C_("activation name", "sigmoid"),
    "act_tanh": C_("activation name", "tanh"),
    "act_relu": C_("activation name", "relu"),
    "act_step": C_("activation name", "step"),
    "act_linear": C_("activation name", "linear"),
    # the class session in the app (issue 22; tui/app/controllers/session.py)
    "session_lead": N_("{address} · code {code} · {joined}"),
    "session_joined": Nn_("{n} student joined", "{n} students joined"),
    "session_following": N_("following {address} as {name}"),
    "session_joining": N_("joining {address}…"),
    "session_exploring": N_("exploring; F to follow"),
    "session_ended_short": N_("the lecturer ended the session"),
    "session_lost_short": N_("lecturer lost; reconnecting"),
    "session_refused_short": N_("refused: {reason}"),
    "session_bad_state": N_("The lecturer's state was refused: {reason}"),
    "session_not_shared": N_("This state cannot be sent to the class: {reason}"),
    "session_listen_failed": N_("cannot listen on {address}: {reason}"),
    "session_none": N_(
        "F follows the lecturer in a class session (backprop-tui --join HOST:PORT --code CODE); there is none here."
    ),
    "session_leading": N_("You lead this session: the students follow you (F is theirs)."),
    "session_nothing_yet": N_("Nothing from the lecturer yet."),
    "session_following_again": N_("Following the lecturer again."),
    "session_tally": N_(
        "Class, {symbol}: {answered}/{joined} answered · right first try {first} · second try {second} · revealed {revealed}"
    ),
    "session_tally_idle": N_("Class: the question is open; press the step key again to reveal it to everyone."),
    "session_question_elsewhere": N_("The lecturer asks a question; F to follow and answer it."),
    "session_wait_reveal": N_("Answer sent; the lecturer reveals the step."),
    "ui_key_follow": N_("follow"),
    "session_name_title": N_("Your name for the class session (the lecturer sees it):"),
    "session_name_help": N_("Enter joins the session · Esc joins with the default name"),
    "session_text": N_("{text}"),
    "ui_help_F": N_("class session: follow again"),
}
