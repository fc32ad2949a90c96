"""The `heatlens` command: argument parsing, sub-commands and the one error path.

Everything that can run without a terminal (export, anomalies, screenshot)
imports only the core; Textual is imported only when the explorer or a
screenshot actually runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from tui import __version__
from tui.colour_mode import MODES, resolve_colour_mode, textual_colour_system
from tui.errors import HeatlensError, InputError, OutputError
from tui.text import safe_text

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


def load_matrix(args: argparse.Namespace):
    """Load the matrix the arguments name, with every shared option applied."""
    from tui.loaders import load

    path = args.file if args.file is not None else str(sample_path())
    return load(
        path,
        format=args.format,
        key=args.key,
        transpose=args.transpose,
        title=args.title,
        x_label=args.x_label,
        y_label=args.y_label,
    )


def make_scale(args: argparse.Namespace, matrix):
    """The colour scale for the matrix and the `--vmin/--vmax/--center` options."""
    from tui.scale import ColourScale

    try:
        return ColourScale.for_values(
            matrix.values, vmin=args.vmin, vmax=args.vmax, center=args.center
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def run_anomalies(args: argparse.Namespace) -> int:
    from tui.anomalies import detect
    from tui.report import anomalies_json, anomalies_table

    matrix = load_matrix(args)
    found = detect(matrix, sensitivity=args.sensitivity)
    text = anomalies_json(found) if args.json else anomalies_table(matrix, found)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from tui.atomic import write_atomic
    from tui.svg import render_svg

    matrix = load_matrix(args)
    scale = make_scale(args, matrix)
    found = None
    if args.anomalies:
        from tui.anomalies import detect

        found = detect(matrix, sensitivity=args.sensitivity)

    svg = render_svg(
        matrix,
        scale,
        anomalies=found,
        show_values=args.show_values,
        width=args.width,
        height=args.height,
    )
    write_atomic(args.output, svg)
    return 0


def _prepare_textual(args: argparse.Namespace) -> object:
    """Resolve the colour mode and tell Textual before it is imported."""
    try:
        mode = resolve_colour_mode(getattr(args, "color", None), os.environ)
    except ValueError as error:
        raise UsageError(str(error)) from None
    os.environ["TEXTUAL_COLOR_SYSTEM"] = textual_colour_system(mode)
    return mode


def run_screenshot(args: argparse.Namespace) -> int:
    from tui.atomic import write_atomic

    matrix = load_matrix(args)
    scale = make_scale(args, matrix)
    mode = _prepare_textual(args)
    from tui.screenshot import take_screenshot

    keys = [key.strip() for key in args.press.split(",") if key.strip()]
    svg = take_screenshot(
        matrix,
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


def run_explorer(args: argparse.Namespace) -> int:
    matrix = load_matrix(args)
    scale = make_scale(args, matrix)
    if args.file == "-" and not os.isatty(0):
        _take_keys_from_terminal()
    mode = _prepare_textual(args)
    from tui.app import HeatlensApp

    app = HeatlensApp(
        matrix, scale=scale, colour_mode=mode, sensitivity=args.sensitivity
    )
    app.run()
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
