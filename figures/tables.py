"""CSV text of a figure's table: integers written as integers, floats at full precision."""

from __future__ import annotations

import csv
import io

import numpy as np

from figures.spec import Table

# Columns whose values are whole numbers whatever array they came in.
INTEGER_NAMES = ("step", "layer", "unit", "neuron", "seed", "depth", "width", "trials",
                 "samples", "count", "spike", "dead", "diverged", "units_before",
                 "units_after", "dead_units_removed", "seeds_ok", "seeds_failed",
                 "seeds_diverged", "params_before", "params_after", "probe")


def _is_integer_column(name: str, table: Table) -> bool:
    return name in table.integer_columns or name in INTEGER_NAMES


def _cell(value, integer: bool) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(int(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    number = float(value)
    if not np.isfinite(number):
        return "" if np.isnan(number) else ("inf" if number > 0 else "-inf")
    if integer and number == round(number):
        return str(int(round(number)))
    return repr(number)


def csv_text(table: Table) -> str:
    """Return `table` as CSV text with its header row.

    Parameters
    ----------
    table : Table
        Header and rows (a 2-D array or a list of sequences).

    Returns
    -------
    str
        The CSV document; whole-number columns (steps, layers, counts) print without
        ``.0``, NaN as an empty field.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    flags = [_is_integer_column(name, table) for name in table.header]
    for row in table.rows:
        writer.writerow([_cell(v, f) for v, f in zip(row, flags)])
    return buffer.getvalue()
