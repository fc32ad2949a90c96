"""Loading every format of the contract to the same matrix, and the rules of text."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DIGITS
from tui import cells, delimited, fast_table
from tui.loaders import InputError, load, sniff_format

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
LABELS = ("1", "2", "3", "4", "5")


def sample_text(separator: str = ",") -> str:
    lines = [separator.join(["digit_b/digit_a", *LABELS])]
    lines += [
        separator.join([label, *(f"{v:.2f}" for v in row)])
        for label, row in zip(LABELS, DIGITS, strict=True)
    ]
    return "\n".join(lines) + "\n"


def assert_is_sample(matrix, *, labelled: bool = True) -> None:
    assert np.array_equal(matrix.values, np.array(DIGITS))
    assert matrix.values.dtype == np.float64
    if labelled:
        assert matrix.row_labels == LABELS
        assert matrix.col_labels == LABELS
        assert (matrix.y_label, matrix.x_label) == ("digit_b", "digit_a")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# Every format, one matrix -----------------------------------------------------------


def test_sample_csv():
    matrix = load(SAMPLE / "digits_accuracy.csv")

    assert_is_sample(matrix)
    assert matrix.source.endswith("digits_accuracy.csv")
    assert matrix.has_row_labels and matrix.has_col_labels


def test_sample_json_object_form():
    matrix = load(SAMPLE / "digits_accuracy.json")

    assert_is_sample(matrix)
    assert matrix.title == "Accuracy"


@pytest.mark.parametrize(
    ("name", "separator"),
    [("m.tsv", "\t"), ("m.csv", ";"), ("m.txt", "\t"), ("m.txt", ";"), ("m", ",")],
)
def test_delimited_variants(tmp_path, name, separator):
    path = write(tmp_path, name, sample_text(separator))

    assert_is_sample(load(path))


def test_whitespace_txt(tmp_path):
    text = sample_text(",").replace(",", "   ")
    path = write(tmp_path, "m.txt", text)

    assert_is_sample(load(path))


def test_npy_memory_mapped(tmp_path):
    path = tmp_path / "m.npy"
    np.save(path, np.array(DIGITS))

    matrix = load(path)

    assert_is_sample(matrix, labelled=False)
    assert isinstance(matrix.values, np.memmap)
    assert matrix.row_labels == ("0", "1", "2", "3", "4")
    assert not matrix.has_row_labels


@pytest.mark.parametrize("dtype", [np.float32, np.int16, np.uint8, np.bool_, ">f8"])
def test_npy_other_numeric_types_become_float64(tmp_path, dtype):
    path = tmp_path / "m.npy"
    original = np.array([[1, 0], [0, 1]], dtype=dtype)
    np.save(path, original)

    values = load(path).values

    assert values.dtype == np.float64 and values.dtype.isnative
    assert np.array_equal(values, original.astype(np.float64))


def test_npy_fortran_order(tmp_path):
    path = tmp_path / "m.npy"
    np.save(path, np.asfortranarray(np.array(DIGITS)))

    assert_is_sample(load(path), labelled=False)


def test_npz_first_array_and_key(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, digits=np.array(DIGITS), other=np.eye(2))

    assert_is_sample(load(path), labelled=False)
    assert np.array_equal(load(path, key="other").values, np.eye(2))


def test_json_bare_list(tmp_path):
    path = write(tmp_path, "m.json", json.dumps(DIGITS))

    assert_is_sample(load(path), labelled=False)


def test_json_nulls_infinities_and_integer_labels(tmp_path):
    document = {"values": [[1, None], [1e999, -2]], "row_labels": [0, "b"]}
    path = write(tmp_path, "m.json", json.dumps(document))

    matrix = load(path)

    assert np.isnan(matrix.values[0, 1]) and matrix.values[1, 0] == np.inf
    assert matrix.row_labels == ("0", "b")
    assert matrix.col_labels == ("0", "1") and not matrix.has_col_labels


def test_stdin_sniffs_csv(monkeypatch):
    fake_stdin(monkeypatch, sample_text().encode())

    matrix = load("-")

    assert_is_sample(matrix)
    assert matrix.source == "-"


def test_stdin_sniffs_json(monkeypatch):
    fake_stdin(monkeypatch, (SAMPLE / "digits_accuracy.json").read_bytes())

    assert load("-").title == "Accuracy"


def test_stdin_sniffs_npy(monkeypatch):
    buffer = io.BytesIO()
    np.save(buffer, np.array(DIGITS))
    fake_stdin(monkeypatch, buffer.getvalue())

    assert_is_sample(load("-"), labelled=False)


def test_stdin_sniffs_npz(monkeypatch):
    buffer = io.BytesIO()
    np.savez(buffer, a=np.eye(2), b=np.array(DIGITS))
    fake_stdin(monkeypatch, buffer.getvalue())

    assert_is_sample(load("-", key="b"), labelled=False)


def test_stdin_with_format(monkeypatch):
    fake_stdin(monkeypatch, sample_text("\t").encode())

    assert_is_sample(load("-", format="tsv"))


def test_format_overrides_the_name(tmp_path):
    path = write(tmp_path, "m.data", json.dumps(DIGITS))
    wrongly_named = write(tmp_path, "m.csv", json.dumps({"values": DIGITS}))

    assert_is_sample(load(path), labelled=False)
    assert_is_sample(load(wrongly_named, format="json"), labelled=False)


def test_sniff_format():
    assert sniff_format(b"\x93NUMPY\x01\x00") == "npy"
    assert sniff_format(b"PK\x03\x04") == "npz"
    assert sniff_format(b"\xef\xbb\xbf \n[[1]]") == "json"
    assert sniff_format(b"a,b\n1,2\n") == "txt"


# Options -----------------------------------------------------------------------------


def test_options_override_the_file(tmp_path):
    path = write(tmp_path, "m.csv", sample_text())

    matrix = load(path, title="T", x_label="X", y_label="Y")

    assert (matrix.title, matrix.x_label, matrix.y_label) == ("T", "X", "Y")


def test_transpose_comes_last_and_carries_labels(tmp_path):
    text = "rows/cols,c1,c2,c3\nr1,1,2,3\nr2,4,5,6\n"
    path = write(tmp_path, "m.csv", text)

    matrix = load(path, transpose=True, x_label="named columns")

    assert matrix.values.tolist() == [[1, 4], [2, 5], [3, 6]]
    assert matrix.row_labels == ("c1", "c2", "c3")
    assert matrix.col_labels == ("r1", "r2")
    assert (matrix.y_label, matrix.x_label) == ("named columns", "rows")


# Labels, missing values and numbers ------------------------------------------------


def table(text: str, kind: str | None = "csv") -> cells.Table:
    return delimited.read_table(text.encode(), "t.csv", kind)


@pytest.mark.parametrize(
    ("text", "row_labels", "col_labels"),
    [
        ("1,2\n3,4\n", None, None),
        ("a,b\n1,2\n", None, ("a", "b")),
        ("cat,1,2\ndog,3,4\n", ("cat", "dog"), None),
        ("x,a,b\ncat,1,2\n", ("cat",), ("a", "b")),
        ("name,1,2\n1,3,4\n2,5,6\n", ("1", "2"), ("1", "2")),
        (",a,b\n0,1,2\n1,3,4\n", ("0", "1"), ("a", "b")),
        ("col\n1\n2\n", None, ("col",)),
    ],
)
def test_label_detection(text, row_labels, col_labels):
    found = table(text)

    assert found.row_labels == row_labels
    assert found.col_labels == col_labels


@pytest.mark.parametrize(
    "corner", ["true/predicted", "true\\predicted", " true / predicted "]
)
def test_corner_names_the_axes(corner):
    found = table(f"{corner},a,b\nc,1,2\nd,3,4\n")

    assert (found.y_label, found.x_label) == ("true", "predicted")


def test_missing_values_everywhere_do_not_make_labels():
    found = table(",1,NA\nN/A,nan,NaN\n5,,6\n")

    assert found.row_labels is None and found.col_labels is None
    expected = [[np.nan, 1, np.nan], [np.nan, np.nan, np.nan], [5, np.nan, 6]]
    assert np.array_equal(found.values, np.array(expected), equal_nan=True)


def test_number_forms():
    found = table("0.97,-3,1e-4,inf\n-inf,+1.5,.5,1E+03\n")

    expected = [[0.97, -3, 1e-4, np.inf], [-np.inf, 1.5, 0.5, 1000]]
    assert found.values.tolist() == expected


def test_quoted_labels_keep_separators_and_unicode():
    text = 'y/x,"a, b","猫 ""cat"""\n"row,1",1,2\n"\u202eπ",3,4\n'

    found = table(text)

    assert found.col_labels == ("a, b", '猫 "cat"')
    assert found.row_labels == ("row,1", "\u202eπ")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbfa,b\n1,2\n",
        b"a,b\r\n1,2\r\n",
        b"a,b\r1,2\r",
        b"a,b\n1,2",
        b"\n\na,b\n\n1,2\n\n",
    ],
)
def test_bom_line_ends_and_blank_lines(raw):
    found = delimited.read_table(raw, "t.csv", "csv")

    assert found.col_labels == ("a", "b")
    assert found.values.tolist() == [[1, 2]]


def test_invalid_utf8_is_read_as_latin1():
    found = delimited.read_table("été,b\n1,2\n".encode("latin-1"), "t.csv", "csv")

    assert found.col_labels == ("été", "b")


def test_control_characters_in_labels_are_kept_as_data():
    found = table("\x1b[31mred,b\n1,2\n")

    assert found.col_labels == ("\x1b[31mred", "b")


def test_sniffing_prefers_a_consistent_separator():
    assert delimited.sniff_separator("a;b\n0,5;1\n", None, "s") == ";"
    assert delimited.sniff_separator("a\tb,c\n1\t2\n", None, "s") == "\t"
    assert delimited.sniff_separator("1 2  3\n4 5 6\n", None, "s") is None
    assert delimited.sniff_separator("1,2\n", "tsv", "s") == "\t"
    assert delimited.sniff_separator("1\t\t2\n33\t4\n", None, "s") is None


# The fast reader and the exact reader agree ----------------------------------------


def read_both(raw: bytes, kind: str | None = "csv"):
    sample = raw.decode("ascii")
    separator = delimited.sniff_separator(sample, kind, "t")
    fast = fast_table.read_fast(raw, "ascii", sample, separator, complete=True)
    exact = delimited.read_exact(sample, separator, "t")
    return fast, exact


def assert_same(first: cells.Table, second: cells.Table) -> None:
    assert np.array_equal(first.values, second.values, equal_nan=True)
    assert first.row_labels == second.row_labels
    assert first.col_labels == second.col_labels
    assert (first.x_label, first.y_label) == (second.x_label, second.y_label)


@pytest.mark.parametrize(
    "text",
    [
        "1,2,3\n4,5,6\n",
        "y/x,a,b\nr,1,\ns,,2\n",
        ",1,2\nNA,3,N/A\n,,\n",
        "a,b\n1,2\n3,4\n",
        "cat,1,2\ndog,NA,4\n",
        "1;2\n;NA\n",
        "1\t\t2\n3\tN/A\t4\n",
        "1 2\nNA 4\n",
        "x,1,2\n,3,4\n",
        'a,"b,c"\n"x",1\n',
        '"",a,"b ""B"""\n"r,1",NA,\n',
    ],
)
def test_fast_reader_takes_common_tables(text):
    fast, exact = read_both(text.encode(), "txt")

    assert fast is not None
    assert_same(fast, exact)


@pytest.mark.parametrize(
    "text",
    [
        'a,b\n"x"y,1\n',
        'a,b\nx"y,1\n',
        "name,1,2\n1,3,4\nx,5,6\n",
        "a,b\n1, NA\n",
    ],
)
def test_fast_reader_leaves_the_hard_cases(text):
    separator = delimited.sniff_separator(text, "csv", "t")

    fast = fast_table.read_fast(text.encode(), "ascii", text, separator, complete=True)

    assert fast is None


cell_texts = st.one_of(
    st.floats(allow_nan=False, width=32).map(repr),
    st.sampled_from(["", "NA", "N/A", "nan", "inf", "-inf", " 1", "7"]),
)


labels = st.sampled_from(["r{}", '"r,;\t{}"', '"a""b{}"', '"{}"', "NA", "", "{}"])


@settings(max_examples=80, deadline=None)
@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    data=st.data(),
    labelled=st.booleans(),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_fast_and_exact_readers_agree(rows, cols, data, labelled, separator):
    grid = [[data.draw(cell_texts) for _ in range(cols)] for _ in range(rows)]
    if labelled:
        grid = [[data.draw(labels).format(i), *row] for i, row in enumerate(grid)]
        grid.insert(0, ["y/x", *(f'"c{separator}{j}"' for j in range(cols))])
    raw = ("\n".join(separator.join(row) for row in grid) + "\n").encode()
    if not raw.strip():
        return

    kind = "tsv" if separator == "\t" else "csv"
    sample = raw.decode("ascii")
    found = delimited.sniff_separator(sample, kind, "t")
    try:
        exact = delimited.read_exact(sample, found, "t")
    except InputError:
        return
    fast = fast_table.read_fast(raw, "ascii", sample, found, complete=True)
    if fast is not None:
        assert_same(fast, exact)


def test_fill_missing_marks_only_whole_cells():
    raw = b",1,,NA\nNAN,N/A,NAB,\n"

    filled = b"".join(fast_table.fill_missing(raw, 0, ",", skip_first=False))

    assert filled == b"nan,1,nan,nan\nNAN,nan,NAB,nan\n"


def test_fill_missing_leaves_label_cells():
    filled = b"".join(fast_table.fill_missing(b",1,\nNA,,2\n", 0, ",", skip_first=True))

    assert filled == b",1,nan\nNA,nan,2\n"


def test_large_table_goes_through_the_fast_reader(tmp_path):
    values = np.arange(300 * 200, dtype=float).reshape(300, 200) / 7
    values[::7, ::5] = np.nan
    lines = [
        ",".join("" if np.isnan(v) else repr(v) for v in row) for row in values.tolist()
    ]
    raw = ("\n".join(lines) + "\n").encode()

    fast, exact = read_both(raw)

    assert fast is not None
    assert np.array_equal(fast.values, values, equal_nan=True)
    assert_same(fast, exact)


# Large files, read block by block ---------------------------------------------------


def holey_rows(rows: int, cols: int, separator: str = ",") -> list[str]:
    """Rows of numbers with empty cells, `NA` and `N/A` at the ends and between.

    Whitespace has no empty cells, so there the holes are all tokens.
    """
    holes = ["NA" if separator == " " else "", "NA", "N/A"]
    lines = []
    for i in range(rows):
        cells_ = [f"{(i * cols + j) / 7:.5f}" for j in range(cols)]
        for j in range(cols):
            if (i * 5 + j * 3) % 11 == 0:
                cells_[j] = holes[(i + j) % 3]
        lines.append(separator.join(cells_))
    return lines


def stream_and_whole(raw: bytes, kind: str, block: int):
    """The table read block by block (None if refused) and read whole."""
    with io.BytesIO(raw) as stream:
        streamed = delimited.read_table_stream(stream, len(raw), kind, block=block)
    return streamed, delimited.read_table(raw, "t", kind)


@pytest.fixture
def small_sample(monkeypatch):
    """Sniff from 256 characters, so that small files are read block by block."""
    monkeypatch.setattr(delimited, "_SNIFF_CHARS", 256)


@pytest.mark.parametrize(
    ("header", "labels", "separator", "line_end", "kind"),
    [
        (False, False, ",", "\n", "csv"),
        (True, True, ",", "\r\n", "csv"),
        (True, False, ";", "\n", "csv"),
        (False, True, "\t", "\n", "tsv"),
        (True, True, " ", "\r\n", "txt"),
    ],
)
def test_streamed_table_is_the_whole_file_table(
    small_sample, header, labels, separator, line_end, kind
):
    lines = holey_rows(40, 9, separator)
    if labels:
        lines = [f"r{i}{separator}{line}" for i, line in enumerate(lines)]
    if header:
        names = [f"c{j}" for j in range(9)]
        lines.insert(0, separator.join(["y/x", *names] if labels else names))
    raw = (line_end.join(lines) + line_end).encode()

    for block in range(512, 512 + 90, 7):
        streamed, whole = stream_and_whole(raw, kind, block)

        assert streamed is not None
        assert_same(streamed, whole)
    assert np.isnan(whole.values).sum() > 25


def test_streaming_fills_a_hole_at_the_very_end(small_sample):
    lines = holey_rows(30, 6)
    raw = ("\n".join(lines) + "\n1,2,3,4,5,").encode()

    streamed, whole = stream_and_whole(raw, "csv", 512)

    assert streamed is not None
    assert np.isnan(streamed.values[-1, -1])
    assert_same(streamed, whole)


def test_streaming_grows_the_buffer_for_a_long_line(small_sample):
    lines = holey_rows(30, 12)
    lines[20] = ",".join(["0.5" + "0" * 100] * 11 + [""])
    raw = ("\n".join(lines) + "\n").encode()

    streamed, whole = stream_and_whole(raw, "csv", 512)

    assert len(lines[20]) > 1024
    assert streamed is not None
    assert streamed.values[20, 0] == 0.5 and np.isnan(streamed.values[20, -1])
    assert_same(streamed, whole)


@pytest.mark.parametrize(
    "late",
    [
        "1,2,3\n",
        "1,2,x,4,5,6\n",
        "1,2,3,4,5,\x00\n",
        "1,2,3,4,5,\x01\n",
        '1,2,3,4,5,"6"\n',
        "1,2,3,4,5,6\r7,8,9,10,11,12\n",
    ],
)
def test_streaming_leaves_the_unusual_to_the_whole_file_reader(small_sample, late):
    raw = ("\n".join(holey_rows(30, 6)) + "\n" + late).encode()

    with io.BytesIO(raw) as stream:
        streamed = delimited.read_table_stream(stream, len(raw), "csv", block=512)

    assert streamed is None


@pytest.fixture
def stream_everything(monkeypatch, small_sample):
    """Make `load` read every text file block by block first."""
    from tui import loaders

    monkeypatch.setattr(loaders, "STREAM_TEXT_BYTES", 1)


def load_both_ways(path: Path, monkeypatch):
    """`load` with block by block reading (as set up), then without it."""
    from tui import loaders

    try:
        streamed = load(path)
    except InputError as error:
        streamed = error
    monkeypatch.setattr(loaders, "STREAM_TEXT_BYTES", 1 << 40)
    try:
        whole = load(path)
    except InputError as error:
        whole = error
    return streamed, whole


@pytest.mark.parametrize(
    ("late", "problem"),
    [
        ("1,2,3\n", "line 32 has 3 values, expected 6"),
        ("1,2,x,4,5,6\n", "line 32, column 3: 'x' is not a number"),
        ("1,2,3,4,5,\x00\n", "binary data"),
        ("1;2;3;4;5;6\n", "line 32 has 1 value, expected 6"),
    ],
)
def test_late_refusals_read_as_before(
    tmp_path, monkeypatch, stream_everything, late, problem
):
    lines = ["a,b,c,d,e,f", *holey_rows(30, 6)]
    path = write(tmp_path, "m.csv", "\n".join(lines) + "\n" + late)

    streamed, whole = load_both_ways(path, monkeypatch)

    assert isinstance(streamed, InputError)
    assert problem in streamed.problem
    assert str(streamed) == str(whole)


@pytest.mark.parametrize(
    "late",
    ['"r,31",1,2,3,4,5,6\n', "r\u00e931,1,2,3,4,5,6\n", "r31,1,NA,,4,5,N/A"],
)
def test_late_surprises_load_as_before(tmp_path, monkeypatch, stream_everything, late):
    lines = [f"r{i},{line}" for i, line in enumerate(holey_rows(31, 6))]
    path = write(tmp_path, "m.csv", "\n".join(lines) + "\n" + late)

    streamed, whole = load_both_ways(path, monkeypatch)

    assert streamed.values.shape == (32, 6)
    assert streamed.row_labels == whole.row_labels
    assert np.array_equal(streamed.values, whole.values, equal_nan=True)


def test_a_large_file_is_read_block_by_block(tmp_path, monkeypatch):
    from tui import loaders

    rows = 2400
    lines = [",".join(line) for line in [["0.123456"] * 250] * rows]
    lines[0] = "," + lines[0][9:]
    lines[-1] = lines[-1][:-9] + ",NA"
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    assert path.stat().st_size >= loaders.STREAM_TEXT_BYTES

    def whole_file(*args):
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(loaders, "read_table", whole_file)
    matrix = load(path)

    assert matrix.values.shape == (rows, 250)
    assert np.isnan(matrix.values[0, 0]) and np.isnan(matrix.values[-1, -1])
    assert np.count_nonzero(np.isnan(matrix.values)) == 2


def wide_labelled_lines(rows: int, cols: int) -> list[str]:
    """A labelled table whose lines are each longer than the usual sample."""
    header = "true/predicted," + ",".join(f"c{j}" for j in range(cols))
    body = ",".join(["0.123456"] * cols)
    return [header] + [f"r{i},{body}" for i in range(rows)]


@pytest.mark.parametrize("rows", [3, 90])
def test_lines_longer_than_the_sample_stay_on_the_fast_readers(
    tmp_path, monkeypatch, rows
):
    from tui import loaders

    cols = 6000
    lines = wide_labelled_lines(rows, cols)
    lines[1] = lines[1].replace(",0.123456", ",", 1)
    path = write(tmp_path, "wide.csv", "\n".join(lines) + "\n")
    assert len(lines[0]) + len(lines[1]) > delimited._SNIFF_CHARS
    streamed = path.stat().st_size >= loaders.STREAM_TEXT_BYTES

    def exact(*args):
        raise AssertionError("the exact reader read the table")

    monkeypatch.setattr(delimited, "read_exact", exact)
    matrix = load(path)

    assert streamed == (rows == 90)
    assert matrix.values.shape == (rows, cols)
    assert matrix.row_labels[-1] == f"r{rows - 1}" and matrix.col_labels[-1] == "c5999"
    assert (matrix.y_label, matrix.x_label) == ("true", "predicted")
    assert np.isnan(matrix.values[0, 0])
    assert np.count_nonzero(np.isnan(matrix.values)) == 1


def test_the_sample_takes_three_whole_lines_and_a_character():
    long_lines = "a" * 70_000 + "\n" + "b" * 70_000 + "\n" + "c\n" + "dd\n"

    end = delimited.sample_size(long_lines, "\n")

    assert long_lines[:end].endswith("c\nd")
    assert delimited.sample_size("1,2\n3,4\n", "\n") == len("1,2\n3,4\n")
    assert delimited.sample_size(b"1\n" * 10, b"\n") == 20


# Refusals ---------------------------------------------------------------------------


def refused(tmp_path: Path, name: str, content: str | bytes, **options) -> InputError:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        load(path, **options)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("m.csv", "", "is empty"),
        ("m.csv", " \n\t\n", "only whitespace"),
        ("m.csv", "a,b,c\n", "header row but no data rows"),
        ("m.csv", "a,b,c\n1,2,3\n4,5\n", "line 3 has 2 values, expected 3"),
        ("m.csv", "a,b\n1,2\nx,abc\n", "line 3, column 2: 'abc' is not a number"),
        ("m.csv", 'a,b\n"1,234",2\n', "'1,234' looks like a thousands separator"),
        ("m.csv", "a,b,c\n1,234,5,6\n", "'1,234' looks like a thousands separator"),
        ("m.tsv", "a\tb\n1,234\t2\n", "'1,234' looks like a thousands separator"),
        ("m.csv", "a;b\n0,97;0,5\n", "'0,97' looks like a decimal comma"),
        ("m.txt", "a,b\n1,2\n3;4\n", "mixes separators"),
        ("m.csv", "a,b,c\n1,2,3\n4;5;6\n", "uses semicolons"),
        ("m.csv", "a,b\n1,2\x00\n", "binary data"),
        ("m.csv", "a,b\n1,2\n".encode("utf-16"), "UTF-16"),
        ("m.txt", "1 2\n3 4x\n", "line 2, column 2: '4x' is not a number"),
        ("m.csv", 'a,b\n"1,2\n', "line 2: bad quoting"),
        ("m.json", "", "is empty"),
        ("m.json", "[[1, 2], [3]]", "values row 2 has 1 values, expected 2"),
        ("m.json", "[1, 2]", "1-D"),
        ("m.json", "[[[1]]]", "nested deeper than 2-D"),
        ("m.json", '[[1, "2"]]', "'2' is a string"),
        ("m.json", "[[true]]", "true is not a number"),
        ("m.json", "[]", "non-empty list"),
        ("m.json", "[[]]", "no numbers"),
        ("m.json", "[[1e400]]x", "not valid JSON"),
        ("m.json", '{"x": 1}', 'no "values"'),
        ("m.json", '"text"', "2-D list"),
        ("m.json", '{"values": [[1]], "row_labels": ["a", "b"]}', "2 row_labels"),
        ("m.json", '{"values": [[1]], "col_labels": "a"}', "list of strings"),
        ("m.json", '{"values": [[1]], "title": 3}', "title must be a string"),
    ],
)
def test_text_refusals(tmp_path, name, content, problem):
    error = refused(tmp_path, name, content)

    assert problem in error.problem


def test_json_nested_absurdly_deep(tmp_path):
    error = refused(tmp_path, "m.json", "[" * 100_000 + "]" * 100_000)

    assert error.problem == "is nested too deeply to be a matrix"


def test_json_integer_too_large_for_a_float(tmp_path):
    error = refused(tmp_path, "m.json", "[[" + "9" * 400 + "]]")

    assert "too large" in error.problem


def test_message_shows_control_characters_harmlessly(tmp_path):
    error = refused(tmp_path, "m.csv", "a,b\n1,\x1b]0;pwned\x07\n")

    assert "\x1b" not in error.problem and "\x07" not in error.problem
    assert "␛" in error.problem


def test_long_cells_are_shortened_in_messages(tmp_path):
    error = refused(tmp_path, "m.csv", "a,b\n1," + "x" * 5000 + "\n")

    assert len(error.problem) < 120


def npy_bytes(array: np.ndarray, *, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


class Exploding:
    """Unpickling this would raise; the tests prove it never happens."""

    def __reduce__(self):
        return (pytest.fail, ("a pickle was loaded",))


@pytest.mark.parametrize(
    ("array", "problem"),
    [
        (np.float64(3.0), "0-D"),
        (np.arange(3.0), "1-D"),
        (np.zeros((2, 2, 2)), "3-D"),
        (np.zeros((2, 2), dtype=complex), "complex"),
        (np.array([["a", "b"]]), "strings"),
        (np.zeros((2, 2), dtype=[("a", "f8"), ("b", "i4")]), "structured"),
        (np.zeros((0, 3)), "no values"),
        (np.zeros((2, 2), dtype="datetime64[s]"), "not numbers"),
    ],
)
def test_npy_refusals(tmp_path, array, problem):
    error = refused(tmp_path, "m.npy", npy_bytes(array))

    assert problem in error.problem


def test_object_npy_is_never_unpickled(tmp_path):
    array = np.empty((1, 1), dtype=object)
    array[0, 0] = Exploding()

    error = refused(tmp_path, "m.npy", npy_bytes(array, allow_pickle=True))

    assert "pickled data is never loaded" in error.problem


def test_a_pickle_named_npy_is_refused(tmp_path):
    import pickle

    error = refused(tmp_path, "m.npy", pickle.dumps(Exploding()))

    assert "not a valid .npy" in error.problem


def test_pickled_npz_member_is_never_unpickled(tmp_path):
    array = np.empty((1, 1), dtype=object)
    array[0, 0] = Exploding()
    path = tmp_path / "m.npz"
    np.savez(path, bad=array)

    with pytest.raises(InputError, match="pickled data is never loaded"):
        load(path)


def test_npz_missing_key_lists_the_keys(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, first=np.eye(2), second=np.eye(3))

    with pytest.raises(InputError) as caught:
        load(path, key="third")

    expected = "has no array named 'third'; it has 'first', 'second'"
    assert caught.value.problem == expected


def test_truncated_npy_is_refused(tmp_path):
    error = refused(tmp_path, "m.npy", npy_bytes(np.eye(50))[:-100])

    assert "truncated" in error.problem


def test_damaged_npz_is_refused(tmp_path):
    error = refused(tmp_path, "m.npz", b"PK\x03\x04 not really a zip")

    assert "not a valid .npz" in error.problem


def test_huge_declared_shape_is_refused_before_reading(tmp_path):
    header = npy_bytes(np.zeros((1, 1)))
    huge = header.replace(b"(1, 1)", b"(100000, 100000)", 1)

    error = refused(tmp_path, "m.npy", huge)

    assert "too large" in error.problem


def test_text_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    from tui import loaders

    monkeypatch.setattr(loaders, "MAX_TEXT_BYTES", 10)
    error = refused(tmp_path, "m.csv", "1,2,3\n4,5,6\n")

    assert "too large" in error.problem


def test_cell_limit_is_enforced(tmp_path, monkeypatch):
    monkeypatch.setattr(delimited, "MAX_CELLS", 5)
    monkeypatch.setattr(fast_table, "MAX_CELLS", 5)
    error = refused(tmp_path, "m.csv", "1,2,3\n4,5,6\n")

    assert "too large" in error.problem


def test_missing_file(tmp_path):
    path = tmp_path / "absent.csv"

    with pytest.raises(InputError, match="no such file") as caught:
        load(path)

    assert caught.value.path == str(path)


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)


def test_fifo_is_refused_without_opening_it(tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    with pytest.raises(InputError, match="named pipe"):
        load(fifo)


def test_device_is_refused():
    with pytest.raises(InputError, match="is a device"):
        load("/dev/null")


def test_symlink_loop(tmp_path):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)

    with pytest.raises(InputError, match="symbolic link loop"):
        load(loop)


@pytest.mark.skipif(
    not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
    reason="root can read anything",
)
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "m.csv", "1,2\n")
    path.chmod(0)

    with pytest.raises(InputError, match="permission denied"):
        load(path)


def test_stdin_terminal_is_refused(monkeypatch):
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Terminal(b"")))

    with pytest.raises(InputError, match="terminal") as caught:
        load("-")

    assert caught.value.path == "-"


def test_stdin_refusal_names_dash(monkeypatch):
    fake_stdin(monkeypatch, b"a,b\n1\n")

    with pytest.raises(InputError) as caught:
        load("-")

    assert caught.value.path == "-"
    assert "line 2 has 1 value, expected 2" in caught.value.problem


def test_unknown_format_is_refused(tmp_path):
    path = write(tmp_path, "m.csv", "1\n")

    with pytest.raises(InputError, match="unknown format"):
        load(path, format="xlsx")
