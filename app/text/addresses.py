"""Street addresses in member text, Chinese and English, found on the normalised text (``app.text.normalise``).

Chinese: an optional chain of province, city, district and town (上海市徐汇区), then a road (漕溪北路, 南京东路,
长乐里, 198弄) and its number (88号, 12-3号), then the estate and any building, unit, floor and room (颐和国际A座2105,
3号楼2单元1201室, 环球中心E1区1502); or a housing estate (小区, 花园, 苑, 园, 公寓, 大厦, 国际…) followed by a
building and a room number (望京西园三区311号楼2单元601); or, with no road or estate needed, a building followed
by its unit, its room or both (3号楼2单元601, 5幢301室, 星河湾B1座1208, 高新南七道R2-B栋301): privacy first, a
building with a unit or a room is a home, while a building alone (展厅在3号楼, A座电梯坏了) stays. A place name may not run across the words that usually
stand before an address (我住在, 寄到, 地址是), so the replacement starts at the address.

English: a house number, one to four capitalised words and a street type (Street, St, Road, Rd, Avenue, Ave, Lane,
Drive, Boulevard, Way, Court, Place, Terrace, Close, Crescent, Square, Highway…), then an optional direction (NW),
flat or suite, and town with a postcode (SW1A 2AA, Auckland 1010) or a state with a ZIP code or postcode (DC 20500,
NSW 2000); or a flat, apartment or suite number before the house number ("Flat 3, 45 High Rd", "3/45 George St"). Street words must be capitalised in what the member
wrote, so "I bought 12 main street lamps" stays.

A house number may be written in Chinese numerals (二百零八号), and an address in traditional characters
(台北市信義區松仁路100號): the words that mark its parts are read in their simplified form (one character for one).

Dates (9月1号), metro lines (2号线), shade numbers (38号色) and product names have no road before their number and
stay.
"""
from __future__ import annotations

import re

ADDRESS = "address"

# A Chinese character that may belong to a place name: not one of the little words around an address.
# 地 only in 地址: it names places too (上地, 绿地中心).
_PLACE_CHAR = r"(?:(?![的了在是我你他她它住到从与寄送发往去于为就也还把被给对向请帮那这条个要址收件货]|地址)[\u4e00-\u9fff])"
_ADMIN = (rf"(?:{_PLACE_CHAR}{{2,8}}?(?:省|自治区|特别行政区)\s?)?(?:{_PLACE_CHAR}{{2,8}}?市\s?)?"
          rf"(?:{_PLACE_CHAR}{{1,8}}?(?:区|县|旗)\s?)?(?:{_PLACE_CHAR}{{1,8}}?(?:镇|乡|街道)\s?)?")
# A road: 路, 街, 巷, 胡同, 里, 弄, or 道 when it does not end an ordinary word (知道, 味道, 频道…); a section (四段).
_ROAD = (rf"(?:{_PLACE_CHAR}|[0-9]){{1,12}}?(?:大道|大街|路|街|巷|胡同|里|弄|(?<![知味频渠管跑车赛轨难说报霸厚地])道)"
         r"(?:(?:[一二三四五六七八九十0-9]{1,3}|[东南西北中])段)?")
_CN_NUMBER = "零〇一二三四五六七八九十百千两"
_HOUSE = rf"(?:[0-9]{{1,5}}(?:-[0-9]{{1,4}})?|[{_CN_NUMBER}]{{1,8}})\s?[号弄](?![线色店码位])"
# A building, tower, zone or phase (A座, 3栋, 311号楼, A塔, E1区, 三区, 二期), a unit, floor or room.
_PART = (r"\s?(?:[0-9a-z]{1,5}\s?(?:号楼|栋|幢|座|塔|区|期|单元|楼|层|室|号房|房|号(?![线色店码位]))"
         r"|[一二三四五六七八九十]{1,3}(?:区|期|号楼|栋|座))")
_ESTATE = (rf"(?:{_PLACE_CHAR}|[0-9a-z]){{2,12}}?(?:小区|花园|苑|园|公寓|大厦|广场|新村|家园|嘉园|社区|中心|大楼|国际|院"
           r"|府|城|soho)")
# After a road and its number, any name (颐和国际, 东部软件园, 维多利广场) is the estate when a building follows.
_ESTATE_AFTER_HOUSE = r"(?:(?![的了在是我你他她它就也还把被给对向请帮那这要])[\u4e00-\u9fff]|[0-9a-z]){2,12}?"
_ROOM = r"(?:(?<=[栋幢座元楼层塔区])\s?-?[0-9]{3,5}(?![0-9号室]))?"  # "3栋2单元501": the room without 室
# A tower and a room in an office or flat estate: "望京SOHO T3 2208", "T2-1605".
_TOWER = r"t[0-9]{1,2}\s?-?\s?[0-9]{3,5}(?![0-9])"
# A home given by its building (3号楼, 12栋, 5幢, A座, R2-B栋, 七栋) and then its unit, its room or both; before it
# (HOME_PLACE_RE) any of a chain of places, a road without a number (高新南七道), an estate and a phase (万科城5期,
# 保利花园二期). A building named by letters alone (A座) is a home only with something of these before it: "川菜馆
# A座 1205 室" may be a restaurant's.
_BUILDING = (r"(?P<code>(?<![0-9a-z-])[0-9a-z]{1,3}(?:-[0-9a-z]{1,2})?|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3})"
             r"\s?(?:号楼|栋|幢|座|塔)")
_HOME_UNIT = r"\s?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?单元"
_HOME_ROOM = r"\s?-?[0-9]{3,5}\s?(?:室|号房|房|号)?(?![0-9万元块个户人平米㎡套件天年分期次])"
HOME_RE = re.compile(rf"{_BUILDING}(?:{_HOME_UNIT}(?:{_HOME_ROOM})?|{_HOME_ROOM})")
_PHASE = r"\s?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s?[期区]"
HOME_PLACE_RE = re.compile(
    rf"{_ADMIN}(?:{_ROAD}\s?)?(?:{_ESTATE}|{_PLACE_CHAR}{{2,8}}?(?:湾|庭|邸|公馆|天地|名都|华府))?(?:{_PHASE})?\s?\Z")
CHINESE_ADDRESS_RE = re.compile(
    rf"(?P<id>{_ADMIN}{_ROAD}\s?{_HOUSE}(?:\s?{_ESTATE_AFTER_HOUSE}(?=\s?{_PART}))?(?:{_PART})*{_ROOM}"
    rf"|{_ADMIN}{_ESTATE}\s?(?:(?:{_PART}){{2,}}{_ROOM}|{_PART}(?<=[栋幢座])\s?-?[0-9]{{3,5}}(?![0-9号室])"
    rf"|{_TOWER}))")

_STREET_TYPES = ("street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|"
                 "ter|close|crescent|cres|square|sq|highway|hwy|parkway|pkwy|row|gardens|gdns|hill|walk|mews|grove|"
                 "circle|cir|trail|alley|quay|wharf|parade|esplanade")
_UNIT = r"(?:flat|apt|apartment|unit|suite|ste|room|rm)\.?\s?#?\s?[0-9]{1,5}[a-z]?"
_POSTCODE = (r"(?:[a-z]{2}\s[0-9]{5}(?:-[0-9]{4})?|[a-z]{1,2}[0-9][a-z0-9]?\s?[0-9][a-z]{2}"
             r"|(?:nsw|vic|qld|wa|sa|tas|act|nt)\s[0-9]{4}|[0-9]{4})(?![a-z0-9])")  # UK, US, Australia, New Zealand
ENGLISH_ADDRESS_RE = re.compile(
    rf"(?P<id>(?:{_UNIT},?\s)?(?:(?<![\w.,/$¥£€#-])[0-9]{{1,4}}[a-z]?/(?=[0-9])|(?<![\w.,/$¥£€#-]))[0-9]{{1,5}}[a-z]?(?:-[0-9]{{1,5}})?,?\s"
    rf"(?P<street>(?:[a-z][a-z'’.-]*\s|[0-9]{{1,3}}(?:st|nd|rd|th)\s){{1,4}}?)(?P<type>{_STREET_TYPES})(?![a-z])\.?"
    rf"(?:\s(?:nw|ne|sw|se|n|s|e|w)(?![a-z]))?(?:,?\s{_UNIT})?"
    rf"(?:,\s?(?:[a-z][a-z'’.-]*\s?){{1,3}}?,?\s?{_POSTCODE})?)")
_CHINESE_CLUE = re.compile(rf"\d\s*[号號弄栋棟幢室单單]|[路街巷弄里道段]\s*[\d{_CN_NUMBER}]|[座栋棟幢]\s?-?\d")
_TOWER_CLUE = re.compile(r"[Tt]\d{1,2}\s?-?\s?\d{3}")
# Traditional forms of the words that mark an address's parts, read as the simplified ones.
_TRADITIONAL = str.maketrans("號區縣鎮鄉樓棟層單廈園廣場莊門東內臺灣衛陽蘭龍", "号区县镇乡楼栋层单厦园广场庄门东内台湾卫阳兰龙")
# A house number before a capitalised word ("12 Baker", "221B Baker", "Flat 3, 45 High"): the only way in.
_ENGLISH_CLUE = re.compile(r"\d[A-Za-z]?,?\s[A-Z0-9]")


# Where a Chinese address must be: a road and its number, or a building's number or letter. The full pattern runs only in a
# window around each, so a long run of place-like characters costs a bounded amount per anchor, not per character.
_ANCHOR = re.compile(rf"[路街巷弄里道段]\s?[0-9{_CN_NUMBER}]|[0-9a-z]\s?(?:栋|幢|座|号楼|塔|单元)|[一二三四五六七八九十](?:栋|幢|座|号楼)|(?<![a-z])t[0-9]{{1,2}}\s?-?\s?[0-9]{{3}}")
_BEFORE, _AFTER = 48, 64  # the longest admin chain and road name before an anchor; building and room after it


def _chinese_spans(text: str) -> list[tuple[int, int]]:
    """Chinese addresses, searched in windows around anchors that never overlap (linear in the text)."""
    spans: list[tuple[int, int]] = []
    searched = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.start() < searched:
            continue  # its window was searched with the anchor before it
        start, searched = max(searched, anchor.start() - _BEFORE), min(len(text), anchor.end() + _AFTER)
        for match in CHINESE_ADDRESS_RE.finditer(text, start, searched):
            if not spans or match.start() >= spans[-1][1]:
                spans.append(match.span("id"))
    return _with_homes(text, spans)


def _with_homes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` and the homes given by building, unit and room (HOME_RE) that none of them holds, with the places
    before each (HOME_PLACE_RE, searched in a bounded window ending at the building), in order."""
    homes, last, nearest = [], 0, 0
    for home in HOME_RE.finditer(text):
        while nearest < len(spans) and spans[nearest][1] <= home.start():
            nearest += 1
        if nearest < len(spans) and spans[nearest][0] < home.end():
            continue  # an address found with its road or estate holds it
        place = HOME_PLACE_RE.search(text, max(last, spans[nearest - 1][1] if nearest else 0, home.start() - _BEFORE),
                                     home.start())
        start = place.start() if place and place.group().strip() else home.start()
        if start == home.start() and not any(char.isdigit() or char in _CN_NUMBER for char in home.group("code")):
            continue  # "川菜馆 A座 1205 室": a building by its letter, and nothing to say it is a home
        homes.append((start, home.end()))
        last = home.end()
    return sorted(spans + homes) if homes else spans


def may_hold_address(text: str, *, has_digits: bool = False) -> bool:
    """A cheap look at the raw text: could it hold an address at all? (A tower and room, "T3 2208", only where
    ``has_digits`` says five digits stand close together.)"""
    return bool(_CHINESE_CLUE.search(text) or _ENGLISH_CLUE.search(text) or (has_digits and _TOWER_CLUE.search(text)))


def address_spans(normalised: str, original_of) -> list[tuple[int, int]]:
    """Spans of addresses in normalised text; ``original_of(start, end)`` gives the text the member wrote there
    (English street words must be capitalised in it)."""
    spans = _chinese_spans(normalised.translate(_TRADITIONAL))
    for match in ENGLISH_ADDRESS_RE.finditer(normalised):
        words = original_of(*match.span("street")).split() + [original_of(*match.span("type"))]
        if all(word[:1].isupper() or word[:1].isdigit() for word in words):
            spans.append(match.span("id"))
    return spans
