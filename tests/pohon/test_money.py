from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pohon.money import pagu_parse, rupiah


@pytest.mark.parametrize(
    "value",
    [
        "Rp. 2.078.747.000",
        "2078747000",
        "2.078.747.000,00",
        "Rp 2.078.747.000",
        "  rp.2.078.747.000 ",
        "2,078,747,000",
        "2078747000.00",
        2078747000,
        2078747000.0,
        Decimal("2078747000"),
    ],
)
def test_the_forms_people_type_read_as_one_value(value):
    assert pagu_parse(value) == Decimal(2_078_747_000)


def test_empty_is_no_pagu():
    assert pagu_parse("") is None
    assert pagu_parse("   ") is None
    assert pagu_parse(None) is None


def test_zero_is_allowed():
    assert pagu_parse("0") == Decimal(0)
    assert pagu_parse("Rp. 0") == Decimal(0)


@pytest.mark.parametrize("value", ["229.562.500", "Rp. 229.562.500", 229562500])
def test_seed_budget_with_half_million(value):
    assert pagu_parse(value) == Decimal(229_562_500)


@pytest.mark.parametrize("value", ["2.078.747.000,50", "1000.5", "1000,25", 1000.5, Decimal("0.01")])
def test_fractions_of_a_rupiah_are_refused(value):
    with pytest.raises(ValidationError, match="Rupiah utuh, tanpa sen"):
        pagu_parse(value)


@pytest.mark.parametrize("value", ["-1.000", "-5", "Rp. -2.000.000", "(1.000)", -1])
def test_negatives_are_refused(value):
    with pytest.raises(ValidationError, match="tidak boleh negatif"):
        pagu_parse(value)


@pytest.mark.parametrize("value", ["1" + "0" * 18, "1" + "0" * 40, 1e30, Decimal("1E+40")])
def test_more_digits_than_a_pagu_holds_are_refused(value):
    with pytest.raises(ValidationError, match="terlalu besar: paling banyak 18 angka"):
        pagu_parse(value)


@pytest.mark.parametrize("value", ["dua juta", "12a", "1.2.3", "Rp.", "1,2,3"])
def test_garbage_is_refused_with_an_example(value):
    with pytest.raises(ValidationError, match="bukan angka Rupiah"):
        pagu_parse(value)


def test_rupiah_display():
    assert rupiah(Decimal(2_078_747_000)) == "Rp 2.078.747.000"
    assert rupiah(Decimal(8_731_687_000)) == "Rp 8.731.687.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(None) == ""
