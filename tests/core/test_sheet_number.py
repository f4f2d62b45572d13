"""A number cell's text carries the number it held (core.spreadsheet.SheetNumber)."""

import io
import pickle
from decimal import Decimal

import openpyxl

from core.spreadsheet import SheetNumber, spreadsheet_read


def xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_number_cells_keep_their_value_and_text_cells_stay_text():
    data = xlsx(["kode", "nilai"], [1.125, 2078747000.0], ["1.125", 0.1], [7, "7"])
    rows, problems = spreadsheet_read(data, filename="a.xlsx", columns=("kode", "nilai"), required=("kode",))
    assert problems == []
    cells = [(row["kode"], row["nilai"]) for row in rows]
    assert cells == [("1.125", "2078747000"), ("1.125", "0.1"), ("7", "7")]
    numbers = [
        [cell.number if isinstance(cell, SheetNumber) else None for cell in (row["kode"], row["nilai"])] for row in rows
    ]
    assert numbers == [[Decimal("1.125"), Decimal(2078747000)], [None, Decimal("0.1")], [Decimal(7), None]]


def test_a_sheet_number_survives_pickling():
    cell = SheetNumber("1.125", Decimal("1.125"))
    again = pickle.loads(pickle.dumps(cell))
    assert (again, again.number, type(again)) == ("1.125", Decimal("1.125"), SheetNumber)


def test_csv_cells_are_text_without_a_number():
    rows, problems = spreadsheet_read(
        b"kode,nilai\n1.125,5\n", filename="a.csv", columns=("kode", "nilai"), required=()
    )
    assert problems == []
    assert [type(rows[0][column]) for column in ("kode", "nilai")] == [str, str]
