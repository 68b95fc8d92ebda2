"""What a run of digits is: a resident ID number, a bank card number, a phone number, or nothing personal.

Checks are arithmetic where the family has one (the ID's ISO 7064 MOD 11-2 check character and birth date, the
card's Luhn digit) so that order numbers, prices and dates of the same length are left alone.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

ID_NUMBER, BANK_CARD, PHONE = "id-number", "bank-card", "phone"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"  # check character by (weighted sum mod 11)
_CN_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
# 010 and 02x area codes have 8-digit numbers; other area codes are 4 digits with 7- or 8-digit numbers.
_CN_LANDLINE = re.compile(r"0(?:10|2\d)\d{8}|0[3-9]\d{2}\d{7,8}")
# Written in one run, without the area code set apart, the local number must start with 2-9 as real ones do (0
# dials out of the area, 1 a service): "发票代码 031001900111" is an invoice code.
_CN_LANDLINE_RUN = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
# A company's service line (400-820-8820, 800-820-8820): never a person's, so it stays, however it is grouped.
_SERVICE_LINE = re.compile(r"[48]00\d{7}")
_INTERNATIONAL = re.compile(r"00[1-9]\d{7,13}")  # 0044 20 7946 0958
# Hong Kong, Macau and Taiwan numbers after their country code without "+", the code written apart: 852-9123 4567.
_UK_MOBILE = re.compile(r"07[1-9]\d{8}")  # 07911 123456, written in its groups
_NANP = re.compile(r"1[2-9]\d{2}[2-9]\d{6}")  # 1, an area code and a local number that start with 2-9
_GREATER_CHINA = re.compile(r"85[23][2-9]\d{7}|886[2-9]\d{7,8}")


def id_number_check_char(first17: str) -> str:
    """The 18th character of a mainland resident ID (ISO 7064 MOD 11-2): a digit or x."""
    return _ID_CHECK[sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS)) % 11]


def is_resident_id(number: str) -> bool:
    """An 18-character ID (check character right, real birth date) or a 15-digit first-generation one."""
    if len(number) == 18 and number[:17].isdigit():
        return (number[0] in "12345678" and _is_birth_date(number[6:14])
                and id_number_check_char(number[:17]) == number[17].lower())
    if len(number) == 15 and number.isdigit():
        return number[0] in "12345678" and _is_birth_date("19" + number[6:12])
    return False


def _is_birth_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def passes_luhn(number: str) -> bool:
    """The Luhn check every payment card number carries in its last digit."""
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_bank_card(number: str) -> bool:
    """16 to 19 digits with a card network's first digits (UnionPay 62, Visa 4, Mastercard 5 and 2221-2720, JCB
    and Amex 3, domestic 9) and a right Luhn digit."""
    if not (16 <= len(number) <= 19 and number.isdigit()):
        return False
    issuer = number[0] in "34569" or "2221" <= number[:4] <= "2720"
    return issuer and passes_luhn(number)


def is_landline(number: str) -> bool:
    """A mainland landline with its area code, whatever its local number starts with."""
    return bool(_CN_LANDLINE.fullmatch(number))


_BRACKETED_AREA = re.compile(r"0[2-9]\d{7,8}")  # Taiwan: (02) 2712-3456, (037) 123-456


def is_bracketed_landline(number: str, groups: tuple[int, ...]) -> bool:
    """A landline whose area code of two or three digits the member put in brackets, as Taiwan writes them."""
    return (len(groups) >= 2 and groups[0] in (2, 3) and all(size in (3, 4) for size in groups[1:])
            and bool(_BRACKETED_AREA.fullmatch(number)))


def is_phone(number: str, groups: tuple[int, ...], *, plus: bool) -> bool:
    """A phone number: after "+" a country code and 7-14 digits; else a Chinese mobile or landline (a company's
    400/800 line is none), an international number after 00, a British mobile in its groups (07911 123456), a Hong Kong, Macau or Taiwan number after its code written apart, or
    ten digits written 3-3-4 (415-555-0132). Written in groups (``groups``, their sizes), it does not start with a
    group of one or two digits (but 86, or digits written one by one)."""
    if plus:
        return 8 <= len(number) <= 15 and number[0] != "0"
    if _SERVICE_LINE.fullmatch(number):
        return False
    if groups == (1, 3, 3, 4) and _NANP.fullmatch(number):
        return True  # 1.415.555.0134, 1-604-555-0143: the North American code and a number in 3-3-4
    if len(groups) > 1 and groups[0] <= 2 and max(groups) > 1 and not number.startswith("86"):
        return False  # "05.01-2024.05.05", "00-2024.11.11": a date's month or day does not start a phone number
    landline = _CN_LANDLINE_RUN if len(groups) == 1 else _CN_LANDLINE
    return bool(_CN_MOBILE.fullmatch(number) or landline.fullmatch(number) or _INTERNATIONAL.fullmatch(number)
                or groups == (3, 3, 4)
                or (groups[:1] == (3,) and _GREATER_CHINA.fullmatch(number))
                or (groups[:1] in ((4,), (5,)) and _UK_MOBILE.fullmatch(number)))


def digit_family(number: str, groups: tuple[int, ...], *, plus: bool = False) -> str | None:
    """The family of a run of digits (the sizes of the groups the member wrote it in), or None."""
    if not plus and is_resident_id(number):
        return ID_NUMBER
    if not plus and is_bank_card(number):
        return BANK_CARD
    if number.isdigit() and is_phone(number, groups, plus=plus):
        return PHONE
    return None


# Digits as they are read out over the phone (幺 one, 两 two, 拐 seven, 勾 nine, 洞 zero), besides the numerals and
# their financial forms that Unicode gives a value.
_SPOKEN_DIGITS = {"幺": "1", "两": "2", "拐": "7", "勾": "9", "洞": "0"}


def chinese_digits(text: str) -> str:
    """Chinese numerals (一, 〇, 零, 壹…) and spoken digits in ``text`` as ASCII digits, one for one."""
    return "".join(_SPOKEN_DIGITS.get(char) or (str(int(unicodedata.numeric(char)))
                                                if not char.isascii() and unicodedata.numeric(char, 10) < 10 else char)
                   for char in text)


# An ID or card number announced as one (身份证, 卡号, 银行卡, card number…): every run of four digits or more up to
# the end of the sentence is replaced, whatever its check digit, so a number split around 尾号 / 前面是 goes too.
LABELLED_NUMBER_RE = re.compile(
    r"(?:(?P<idl>身份证|身份證|证件号|證件號|id\s?(?:card|number|no\.?)|identity card)"
    r"|(?P<card>卡号|卡號|银行卡|銀行卡|信用卡|储蓄卡|借记卡|(?:[招工建农中交兴浦民]行|邮储|农商)卡|card\s?(?:number|no\.?|#)|credit card|debit card))"
    r"(?P<rest>[^。！？!?\n]{0,48})")
# Six digits or more, or four or five beside them ("尾号6783，前面是622588012345").
_LABELLED_DIGITS_RE = re.compile(r"(?<![0-9a-z])(?:(?P<short>[0-9]{4,5})|(?P<long>[0-9]{6,}x?))(?![0-9])")
_CLAUSE_BREAK = re.compile(r"[,，;；、]")
_GOES_ON = re.compile(r"前面|后面|前几位|前十|中间|剩下|全号|完整|the rest|first (?:digits|part)|full number|then")


def labelled_number_spans(text: str) -> list[tuple[int, int, str]]:
    """Numbers after a label that says they are an ID or a card, whatever their check digit: the first in the
    label's clause, and any later one that the words between say is more of the same number ("前面是", "the rest").
    The last four digits alone ("尾号 1234") say little and stay, unless the rest of the number is given too.
    (start, end, placeholder) in the normalised text; they may overlap what other families found first."""
    spans = []
    for match in LABELLED_NUMBER_RE.finditer(text):
        placeholder = "[id-number]" if match.group("idl") else "[bank-card]"
        last, taken = match.start("rest"), []
        for digits in _LABELLED_DIGITS_RE.finditer(text, match.start("rest"), match.end("rest")):
            between = text[last:digits.start()]
            if not ((last == match.start("rest") and not _CLAUSE_BREAK.search(between)) or _GOES_ON.search(between)):
                break
            taken.append(digits.span("short" if digits.group("short") else "long"))
            last = digits.end()
        if any(end - start >= 6 for start, end in taken):
            spans += [(start, end, placeholder) for start, end in taken]
    return spans
