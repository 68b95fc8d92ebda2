"""Email addresses as members write them, plain or spelled out to dodge filters ("bob at example dot com")."""
from __future__ import annotations

import re

from app.text.words import is_english_word

# The look-behind starts a match only where a run of word characters starts: without it, a long run (Chinese text
# has no spaces) is rescanned from every character, which is quadratic.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Emails written to dodge filters: "bob at example dot com", "bob [at] example.com", "bob(at)qq.com", "bob艾特qq点com",
# "bob @ example.com". The top-level domain must be letters, so "3 at 5.50" stays.
_AT = r"(?:\s*[\[(（{<]\s*(?:at|@|艾特)\s*[\])）}>]\s*|\s*艾特\s*|\s+@\s*|@\s+)"  # unmistakable ways to write @
# A plain " at " is ordinary English ("I bought it at tmall.com"): it stands for @ only when the dot is spelled out
# too ("bob at example dot com") or an address-like name is at a mail provider ("zhang.san at 163.com"). A bare @
# with a spelled-out dot ("bob@163点com") is caught here too; a plain one is EMAIL_RE's.
_PLAIN_AT = r"\s+at\s+"
# With a plain " at " before a provider, the local part must look like an address (a digit, ".", "_" or "+"):
# "zhang.san at 163.com" is an email, "news at 163.com" and "sign in at outlook.com" are not.
# Or it follows a word that announces an address ("我的邮箱是alice at gmail.com", "email: alice at gmail.com").
_ANNOUNCED = "|".join(f"(?<={word})" for word in (
    "邮箱", "邮箱是", "邮箱:", "邮箱：", "邮件", "邮件:", "邮件：", "email ", "email:", "email: ", "e-mail ", "mail ",
    "mail:", "mail: "))
_SPELLED_DOT = r"(?:\s*[\[(（{<]\s*(?:dot|点|\.)\s*[\])）}>]\s*|\s+dot\s+|\s*点\s*)"
_MAIL_PROVIDER = (r"(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|icloud|me|aol|proton|protonmail|gmx|qq|foxmail"
                  r"|163|126|yeah|sina|sohu|139|189|wo|aliyun)")
_DOT = rf"(?:\.|{_SPELLED_DOT})"
# "#" or 在 for @ ("kiki#qq.com（#换成@）", "xiaomei 在 163.com"): only before a mail provider.
# A provider whose name alone says it is mail ("meiyan888 at gmail", "lily_88@hotmail"): the domain may be left off.
_NAMED_PROVIDER = r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|foxmail|protonmail)"
_STAND_IN_AT = r"[#＃在]"
_STAND_IN_PROVIDER = (r"(?:gmail|googlemail|outlook|hotmail|yahoo|icloud|protonmail|qq|foxmail|163|126|yeah|sina|sohu"
                      r"|139|189|aliyun)")
# A cheap look at raw text for those (scrub's clues).
STAND_IN_AT_CLUE = re.compile(rf"{_STAND_IN_AT}\s?{_STAND_IN_PROVIDER}\s?(?:[.．。点]|dot|\(dot\)|\[dot\])", re.IGNORECASE)
# Neither the local part nor a label can hold what stands for @ or the dot (艾特, 点): with only one way to split the
# text, a failed match backtracks linearly instead of quadratically or worse. A match may also start right after 艾.
_LOCAL_START = r"(?:(?<![\w.+-])|(?<=艾))"
_LOCAL_CHAR = r"(?:[^\W艾]|[.+-])"
_LOCAL = rf"{_LOCAL_START}{_LOCAL_CHAR}+"
_ADDRESS_LOCAL = rf"(?:(?:{_ANNOUNCED})|{_LOCAL_START}(?={_LOCAL_CHAR}*[\d._+])){_LOCAL_CHAR}+"
_LABEL = r"(?:[^\W点艾]|-)+"
_TLD = r"[a-z]{2,24}(?![a-z0-9-])"
# After a plain " at " and a spelled dot, only a top-level domain people have mail at: "look at the dot matrix" stays.
_KNOWN_TLD = (r"(?:com|net|org|edu|gov|cn|hk|tw|mo|sg|my|jp|kr|uk|us|ca|au|nz|de|fr|it|es|nl|ch|se|io|co|me|info"
              r"|biz)(?![a-z0-9-])")
OBFUSCATED_EMAIL_RE = re.compile(
    rf"{_LOCAL}(?:{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
    rf"|@{_LABEL}(?:{_DOT}{_LABEL})*{_SPELLED_DOT}{_TLD}|{_PLAIN_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_SPELLED_DOT}{_KNOWN_TLD})"
    rf"|{_ADDRESS_LOCAL}{_PLAIN_AT}{_MAIL_PROVIDER}(?:{_DOT}{_TLD})+"
    rf"|{_ADDRESS_LOCAL}(?:{_PLAIN_AT}|\s?@\s?){_NAMED_PROVIDER}(?![\w.@＠-]|\s{{0,2}}(?:[.．]|dot\s|点))"
    rf"|(?<![\w.+-])[a-z0-9][a-z0-9._+-]*\s?{_STAND_IN_AT}\s?{_STAND_IN_PROVIDER}(?:{_DOT}{_TLD})+"
    # … also glued to the Chinese before it ("邮箱sunnyday_77#qq.com"), with # (在 there is a word: "iphone在…")
    rf"|(?<=[\u3400-\u9fff])[a-z0-9][a-z0-9._+-]*\s?[#＃]\s?{_STAND_IN_PROVIDER}(?:{_DOT}{_TLD})+", re.IGNORECASE)

# "jenny dot li at gmail dot com": the dots of the name spelled out too. Matched backwards from the start of an
# address found by the patterns above, over a bounded window, so it stays linear.
SPELLED_LOCAL_PREFIX_RE = re.compile(r"(?:[^\W艾点]+(?:\s+dot\s+|\s*[\[(]dot[\])]\s*))+$", re.IGNORECASE)

# The scrubber's patterns below run on the normalised text (``app.text.normalise``: lower case).
_CHINESE_BEFORE_LATIN = re.compile(r"[\u3400-\u9fff]+(?=[a-z0-9])")
# An email written with spaces around its @ and dots ("eve @ outlook . com").
SPACED_EMAIL_RE = re.compile(r"(?<![\w.+-])[a-z0-9][\w.+-]{0,30}\s{0,2}[@＠]\s{0,2}[a-z0-9-]{2,30}"
                             r"(?:\s{0,2}\.\s{0,2}(?:com|net|org|cn|co|uk|io|edu|gov|hk|tw|jp|de|fr|au|ca|me|info))"
                             r"{1,2}(?![\w-])")
# "alice at gmail.com": a plain " at " before a mail provider's domain, after a name that is not an English word
# ("sign in at outlook.com", "news at 163.com" and "I was at me.com" stay).
PLAIN_AT_RE = re.compile(r"(?<![\w.+-])(?P<local>[a-z][a-z0-9]{1,30})\s+at\s+(?:gmail|googlemail|outlook|hotmail|live"
                         r"|msn|yahoo|icloud|me|aol|proton|protonmail|gmx|qq|foxmail|163|126|yeah|sina|sohu|139|189"
                         r"|aliyun)(?:\.[a-z]{2,6}){1,2}(?![\w-])")


def email_spans(text: str):
    """Addresses, plain or spelled out, with a name whose dots are spelled out too ("jenny dot li at …")."""
    for match in PLAIN_AT_RE.finditer(text):
        if not is_english_word(match.group("local")):
            yield match.span()
    for pattern in (EMAIL_RE, OBFUSCATED_EMAIL_RE, SPACED_EMAIL_RE):
        for match in pattern.finditer(text):
            start = match.start()
            if name_after_words := _CHINESE_BEFORE_LATIN.match(text, start):  # 邮箱huahua艾特qq点com
                start = name_after_words.end()
            prefix = SPELLED_LOCAL_PREFIX_RE.search(text, max(0, start - 64), start)
            yield (prefix.start() if prefix else start), match.end()
