"""The `heatlens` command: argument parsing, sub-commands and the one error path.

Everything that can run without a terminal (export, anomalies, screenshot)
imports only the core; Textual is imported only when the explorer or a
screenshot actually runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from tui import __version__
from tui.colour_mode import MODES, resolve_colour_mode, textual_colour_system
from tui.errors import HeatlensError, InputError, OutputError
from tui.text import safe_text
from tui.view_choices import NORMALISATIONS

if TYPE_CHECKING:
    from tui.loading import LoadingProcess, LoadRequest
    from tui.matrix import Matrix
    from tui.scale import ColourScale
    from tui.view import Inputs, View

SUBCOMMANDS = ("export", "screenshot", "anomalies")

_SAMPLE_NAME = "digits_accuracy.json"


def sample_path() -> Path:
    """The built-in sample: the digit accuracy matrix of `sample_data/`.

    A wheel carries it inside the package; a source checkout has it beside.
    """
    package = Path(__file__).resolve().parent
    bundled = package / "sample" / _SAMPLE_NAME
    if bundled.is_file():
        return bundled
    return package.parent / "sample_data" / _SAMPLE_NAME


class UsageError(Exception):
    """A command line that does not parse; reported in one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports errors in one line instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _size(text: str) -> tuple[int, int]:
    """Parse `COLSxROWS`, e.g. `120x40`."""
    try:
        cols, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size must look like 120x40, not {text!r}"
        ) from None
    if not (10 <= cols <= 1000 and 4 <= rows <= 500):
        raise argparse.ArgumentTypeError("size must be 10x4 to 1000x500")
    return cols, rows


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"must be a finite number: {text!r}")
    return value


def _add_shared(parser: argparse.ArgumentParser, *, file_required: bool) -> None:
    """The file argument and the options every command shares."""
    parser.add_argument(
        "file",
        nargs=None if file_required else "?",
        metavar="FILE",
        help="matrix file (.csv .tsv .txt .npy .npz .json) or - for standard input",
    )
    parser.add_argument("--title", help="title shown above the matrix")
    parser.add_argument("--x-label", help="name of the x axis (the columns)")
    parser.add_argument("--y-label", help="name of the y axis (the rows)")
    parser.add_argument("--vmin", type=_finite, help="value drawn full red")
    parser.add_argument("--vmax", type=_finite, help="value drawn full blue")
    parser.add_argument("--center", type=_finite, help="value drawn pure gray")
    parser.add_argument(
        "--transpose", action="store_true", help="swap rows and columns"
    )
    parser.add_argument(
        "--format",
        choices=("csv", "tsv", "txt", "npy", "npz", "json"),
        help="read the input as this format instead of judging by its name",
    )
    parser.add_argument("--key", help="which array of an .npz file to show")
    parser.add_argument(
        "--sensitivity",
        type=_positive,
        default=1.0,
        help="anomaly sensitivity: above 1 reports more, below 1 fewer",
    )
    parser.add_argument(
        "--normalize",
        "--normalise",
        dest="normalize",
        choices=NORMALISATIONS,
        default="none",
        help="show counts as shares of their row (recall), column (precision) or total",
    )
    parser.add_argument(
        "--compare",
        metavar="B",
        help="compare with a second matrix, read with the same options: "
        "show the change B - FILE",
    )


def _add_colour(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        "--colour",
        dest="color",
        choices=MODES,
        help="colours to use (default: auto, or $HEATLENS_COLOR)",
    )


def build_parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser for the explorer and one per sub-command."""
    explore = _Parser(
        prog="heatlens",
        description=(
            "Explore an accuracy or confusion matrix in the terminal. "
            f"Sub-commands: {', '.join(SUBCOMMANDS)} (heatlens COMMAND --help)."
        ),
    )
    _add_shared(explore, file_required=False)
    _add_colour(explore)
    explore.add_argument(
        "--watch",
        action="store_true",
        help="re-read the file(s) whenever they change, e.g. during training",
    )
    explore.add_argument("--version", action="version", version=__version__)

    export = _Parser(
        prog="heatlens export", description="Write the heatmap as a vector SVG."
    )
    _add_shared(export, file_required=True)
    export.add_argument("-o", "--output", required=True, metavar="OUT.svg")
    values = export.add_mutually_exclusive_group()
    values.add_argument(
        "--values",
        dest="show_values",
        action="store_true",
        default=None,
        help="always print values in cells",
    )
    values.add_argument(
        "--no-values",
        dest="show_values",
        action="store_false",
        help="never print values in cells",
    )
    export.add_argument(
        "--anomalies", action="store_true", help="outline anomalous cells"
    )
    export.add_argument("--width", type=_positive, help="figure width in pixels")
    export.add_argument("--height", type=_positive, help="figure height in pixels")

    screenshot = _Parser(
        prog="heatlens screenshot",
        description="Write an SVG screenshot of the explorer, run headless.",
    )
    _add_shared(screenshot, file_required=True)
    _add_colour(screenshot)
    screenshot.add_argument("-o", "--output", required=True, metavar="OUT.svg")
    screenshot.add_argument(
        "--size", type=_size, default=(120, 40), metavar="COLSxROWS"
    )
    screenshot.add_argument(
        "--press",
        default="",
        metavar="KEYS",
        help="keys to press first, comma separated (e.g. down,down,right,a)",
    )

    anomalies = _Parser(
        prog="heatlens anomalies",
        description="Print the cells that break the matrix's own pattern.",
    )
    _add_shared(anomalies, file_required=True)
    anomalies.add_argument(
        "--json", action="store_true", help="print one JSON object instead"
    )
    return {
        "explore": explore,
        "export": export,
        "screenshot": screenshot,
        "anomalies": anomalies,
    }


def parse(argv: Sequence[str]) -> tuple[str, argparse.Namespace]:
    """The command to run and its arguments."""
    parsers = build_parsers()
    if argv and argv[0] in SUBCOMMANDS:
        return argv[0], parsers[argv[0]].parse_args(argv[1:])
    return "explore", parsers["explore"].parse_args(argv)


def load_request(args: argparse.Namespace, path: str) -> LoadRequest:
    """What to read from `path`, with every shared option applied."""
    from tui.loading import LoadRequest

    return LoadRequest(
        path=path,
        format=args.format,
        key=args.key,
        transpose=args.transpose,
        title=args.title,
        x_label=args.x_label,
        y_label=args.y_label,
    )


def matrix_loader(args: argparse.Namespace) -> Callable[[str], Matrix]:
    """A function reading one file with every shared option applied."""
    return lambda path: load_request(args, path).read()


def load_matrix(args: argparse.Namespace) -> Matrix:
    """Load the matrix the arguments name, with every shared option applied."""
    path = args.file if args.file is not None else str(sample_path())
    return matrix_loader(args)(path)


def load_inputs(args: argparse.Namespace) -> Inputs:
    """The matrix and, with `--compare`, the second one, aligned to it.

    Raises:
        UsageError: when both would come from standard input.
        InputError: when either cannot be read, or the two cannot be aligned.
    """
    from tui.view import Inputs

    if args.compare == "-" and args.file == "-":
        raise UsageError("standard input can be FILE or --compare B, not both")
    matrix = load_matrix(args)
    other = None if args.compare is None else matrix_loader(args)(args.compare)
    return Inputs.of(matrix, other)


def first_view(args: argparse.Namespace) -> View:
    """The view the options ask for: shares with `--normalize`, B − A to compare."""
    from tui.view import ViewSettings, build_view

    inputs = load_inputs(args)
    source = "a" if inputs.comparison is None else "diff"
    settings = ViewSettings(normalisation=args.normalize, source=source)
    return build_view(inputs, settings)


def chosen_scale(args: argparse.Namespace, matrix: Matrix) -> ColourScale | None:
    """The scale the `--vmin/--vmax/--center` options ask for; None without any.

    Without `--center`, a comparison stays centred on no change (0).
    """
    from tui.scale import ColourScale

    if (args.vmin, args.vmax, args.center) == (None, None, None):
        return None
    center = args.center
    if center is None and args.compare is not None:
        center = 0.0
    try:
        return ColourScale.for_values(
            matrix.finite_ends(), vmin=args.vmin, vmax=args.vmax, center=center
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def make_scale(args: argparse.Namespace, view: View) -> ColourScale:
    """The scale a view is drawn on: the options' choice, else the view's own."""
    return chosen_scale(args, view.content) or view.scale


def run_anomalies(args: argparse.Namespace) -> int:
    from tui.report import anomalies_json, anomalies_table
    from tui.view import find_anomalies

    view = first_view(args)
    found = find_anomalies(view, args.sensitivity)
    matrix = view.content
    text = anomalies_json(found) if args.json else anomalies_table(matrix, found)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from tui.atomic import write_atomic
    from tui.svg import render_svg

    view = first_view(args)
    scale = make_scale(args, view)
    found = None
    if args.anomalies:
        from tui.view import find_anomalies

        found = find_anomalies(view, args.sensitivity)

    svg = render_svg(
        view.content,
        scale,
        anomalies=found,
        show_values=args.show_values,
        width=args.width,
        height=args.height,
    )
    write_atomic(args.output, svg)
    return 0


def _prepare_textual(args: argparse.Namespace, *, headless: bool = False) -> object:
    """Resolve the colour mode and tell Textual before it is imported.

    A headless screenshot has no terminal to limit it, so it is drawn in true
    colour unless a mode is asked for with `--color` or `HEATLENS_COLOR`.
    """
    requested = getattr(args, "color", None)
    if headless and not requested and not os.environ.get("HEATLENS_COLOR"):
        requested = "truecolor"
    try:
        mode = resolve_colour_mode(requested, os.environ)
    except ValueError as error:
        raise UsageError(str(error)) from None
    os.environ["TEXTUAL_COLOR_SYSTEM"] = textual_colour_system(mode)
    return mode


def run_screenshot(args: argparse.Namespace) -> int:
    from tui.atomic import write_atomic

    view = first_view(args)
    scale = make_scale(args, view)
    mode = _prepare_textual(args, headless=True)
    from tui.screenshot import take_screenshot

    keys = [key.strip() for key in args.press.split(",") if key.strip()]
    svg = take_screenshot(
        view.content,
        scale=scale,
        colour_mode=mode,
        size=args.size,
        press=keys,
        sensitivity=args.sensitivity,
    )
    write_atomic(args.output, svg)
    return 0


def _take_keys_from_terminal() -> None:
    """Point standard input at the terminal once the matrix has been read from it.

    Textual reads keys from standard input; after `cat m.csv | heatlens -`
    that is an exhausted pipe, so the controlling terminal takes its place.
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise InputError(
            "-", "read the matrix, but there is no terminal to take keys from"
        ) from None
    os.dup2(terminal, 0)
    os.close(terminal)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115


def start_reading(args: argparse.Namespace) -> LoadingProcess | None:
    """Start reading a large text file in a second process, when it is one.

    Only for a single file opened with no option that needs its values
    before the screen (a scale's limits, a second file, watching): those
    read it here, so any refusal comes before the screen is taken.
    """
    from tui.loading import LoadingProcess

    if args.file is None or args.compare is not None or args.watch:
        return None
    if (args.vmin, args.vmax, args.center) != (None, None, None):
        return None
    request = load_request(args, args.file)
    return LoadingProcess.start(request) if request.worth_a_process() else None


def run_explorer(args: argparse.Namespace) -> int:
    if args.watch and "-" in (args.file, args.compare):
        raise UsageError("--watch needs files; standard input cannot be watched")
    pending = start_reading(args)
    try:
        return _explore(args, pending)
    finally:
        if pending is not None:
            pending.cancel()


def _explore(args: argparse.Namespace, pending: LoadingProcess | None) -> int:
    matrix = compare_with = scale = None
    if pending is None:
        view = first_view(args)
        scale = chosen_scale(args, view.content)
        matrix, compare_with = view.inputs.a, view.inputs.b
    if "-" in (args.file, args.compare) and not os.isatty(0):
        _take_keys_from_terminal()
    mode = _prepare_textual(args)
    from tui.app import HeatlensApp

    app = HeatlensApp(
        matrix,
        pending=pending,
        scale=scale,
        colour_mode=mode,
        sensitivity=args.sensitivity,
        normalisation=args.normalize,
        compare_with=compare_with,
        reload=matrix_loader(args) if args.watch else None,
    )
    app.run()
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or 0


COMMANDS = {
    "explore": run_explorer,
    "export": run_export,
    "screenshot": run_screenshot,
    "anomalies": run_anomalies,
}


def _fail(message: str) -> int:
    print(f"heatlens: {safe_text(message)}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        command, args = parse(arguments)
        return COMMANDS[command](args)
    except UsageError as error:
        return _fail(f"error: {error} (see heatlens --help)")
    except InputError as error:
        return _fail(str(error))
    except OutputError as error:
        return _fail(f"cannot write {error}")
    except HeatlensError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
