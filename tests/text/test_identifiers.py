"""The arithmetic behind the number families: ID check characters, birth dates, Luhn digits, phone shapes."""
from __future__ import annotations

import pytest

from app.text.identifiers import (
    BANK_CARD,
    ID_NUMBER,
    PHONE,
    digit_family,
    id_number_check_char,
    is_bank_card,
    is_resident_id,
    passes_luhn,
)


def with_check_char(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def with_luhn_digit(prefix: str) -> str:
    return next(prefix + digit for digit in "0123456789" if passes_luhn(prefix + digit))


def test_the_id_check_character_is_iso_7064_mod_11_2_and_may_be_x():
    # Weighted sum of 11010519491231002 is 167; 167 mod 11 = 2, which maps to "x" ("10x98765432").
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    assert sum(int(d) * w for d, w in zip("11010519491231002", weights)) % 11 == 2
    assert id_number_check_char("11010519491231002") == "x"
    assert is_resident_id("11010519491231002X") and is_resident_id("11010519491231002x")


def test_an_id_with_a_wrong_check_character_or_an_impossible_birth_date_is_not_an_id():
    assert not is_resident_id("110105194912310021")
    assert not is_resident_id(with_check_char("11010519491331002"))  # month 13
    assert not is_resident_id(with_check_char("11010518491231002"))  # born 1849
    assert not is_resident_id(with_check_char("91010519491231002"))  # no province starts with 9


def test_a_first_generation_id_has_fifteen_digits_and_a_real_birth_date():
    assert is_resident_id("110101850307457")
    assert not is_resident_id("110101851307457")


def test_luhn_and_a_card_networks_first_digits_make_a_card_number():
    assert passes_luhn("4111111111111111") and is_bank_card("4111111111111111")
    assert not is_bank_card("4111111111111112")
    order_number = with_luhn_digit("202411131234567890")
    assert passes_luhn(order_number) and not is_bank_card(order_number)  # no card network starts 2024
    assert not is_bank_card("411111111111")  # too short for a card


@pytest.mark.parametrize("number, groups, plus, family", [
    ("13800138000", (11,), False, PHONE), ("8613800138000", (2, 11), False, PHONE),
    ("008613800138000", (4, 11), False, PHONE), ("02161234567", (3, 4, 4), False, PHONE),
    ("075588886666", (4, 4, 4), False, PHONE), ("4008208820", (3, 3, 4), False, None),
    ("4155550132", (3, 3, 4), False, PHONE), ("442079460958", (2, 2, 4, 4), True, PHONE),
    ("4155550132", (10,), False, None), ("12800138000", (11,), False, None), ("2024111312345", (13,), False, None),
    ("11010519491231002x", (18,), False, ID_NUMBER), ("6228480402564890018", (19,), False, BANK_CARD),
])
def test_digit_family_tells_phones_ids_and_cards_from_other_numbers(number, groups, plus, family):
    assert digit_family(number, groups, plus=plus) == family
