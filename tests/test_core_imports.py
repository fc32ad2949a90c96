"""The core knows no terminal: importing it loads neither Textual nor Rich."""

import subprocess
import sys

CORE = [
    "tui.matrix",
    "tui.loaders",
    "tui.cells",
    "tui.fast_table",
    "tui.block_reader",
    "tui.delimited",
    "tui.writers",
    "tui.scale",
    "tui.anomalies",
    "tui.patterns",
    "tui.scoring",
    "tui.report",
    "tui.svg",
    "tui.svg_cells",
    "tui.svg_layout",
    "tui.text",
    "tui.numbers",
    "tui.atomic",
    "tui.errors",
    "tui.colour_mode",
    "tui.transforms",
    "tui.compare",
    "tui.watch",
    "tui.view",
    "tui.view_choices",
    "tui.loading",
]


def test_core_modules_import_no_textual_or_rich():
    probe = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "bad = sorted(roots & {'textual', 'rich'})\n"
        "print(','.join(bad))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""


def test_headless_commands_do_not_import_textual():
    probe = (
        "import sys\n"
        "from tui import cli\n"
        "cli.main(['anomalies', 'sample_data/digits_accuracy.csv', '--json'])\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stderr.strip().endswith("False")
