"""How an English given name is written in Chinese characters (Bella: 贝拉, Vivian: 薇薇安, Olivia: 奥利维亚), so
that a member called by the Chinese form of their English name is found.

The method is the one of Xinhua's *Names of the English-speaking peoples* (英语姓名译名手册): a name is cut into
syllables (a consonant and the vowel after it; a consonant with no vowel after it is a syllable of its own, or
closes the syllable before it with -n), and each syllable is written with a character whose reading fits it. The
characters are the table's and the ones popular usage puts in women's names (娜, 莉, 薇, 琪, 露…), listed by their
pinyin in ``_CHARACTERS``; a reading fits an English syllable when its initial is one the consonant is heard as
(``_ONSETS``: v as w, r as l, k as q or j before i…) and its final one the vowel is heard as (``_VOWELS``: o as uo or
e, a as ai…). The result is a *pattern*: for each Chinese character of the written name, the set of characters that
may stand there; a name has a few patterns (a closing consonant written or not, a cluster's first consonant
written or not). A closing x is two syllables, both written (麦克斯 of Max, 亚历克斯 of Alex); ja may be heard as jie
(杰克, 杰森), -in as -en (凯文 of Kevin), a lone s as 史 (史蒂文); a few forms are usage's, not the syllables' (大卫
of David: ``_CONVENTIONAL``). A pet form doubles the first syllable or the last
(贝贝 of Bella, 娜娜 of Anna).

Whether a Chinese run that fits a pattern is the member is decided by ``sound_kind``: a person's name in jieba's
dictionary (安娜, 杰西) or a run holding a character that is mostly found in names (贝, 娜, 薇, 琪, 尼: Zipf
frequency below 4.7) is rare, a name wherever it stands; an everyday word (可可 is cocoa, 拉拉 a nappy) or a run of
everyday characters only (路那, 西米) is ordinary, a name only where the sentence uses it as one. A brand or loan
word written like a name (戴森, 艾特 for @) and a run that begins a longer name or word (杰西卡, 安娜苏, 伊拉克) is
none (``member_names``). An everyday word that seems to run into the name (天马 of 昨天马克斯, 上海 of 楼上海伦) does
not count when jieba's cut of the words around starts and ends a word where the name does. Transliterations jieba
tags as common nouns though they are given names first (大卫, 路易) count as names.
"""
from __future__ import annotations

import re
from functools import cache

# Characters by pinyin: Xinhua's table (阿, 巴, 贝, 比, 博, 布, 达, 德, 迪, 多, 杜…) and the characters popular usage
# writes women's and men's names with.
_CHARACTERS = {
    "a": "阿", "ai": "艾埃爱", "an": "安", "ao": "奥", "ba": "巴芭", "bai": "拜白百", "ban": "班", "bang": "邦", "bei": "贝蓓倍",
    "ben": "本", "bi": "比碧彼", "bin": "宾", "bo": "博波柏伯勃", "bu": "布", "cha": "查", "cui": "翠", "da": "达妲", "dai": "黛戴代",
    "dan": "丹", "de": "德得", "deng": "登", "di": "迪蒂狄笛帝堤", "ding": "丁", "dong": "东", "du": "杜都", "dun": "敦顿",
    "duo": "多朵", "e": "厄", "en": "恩", "er": "尔儿", "fa": "法", "fan": "凡梵", "fei": "菲费斐妃", "fen": "芬", "fo": "佛",
    "fu": "富芙弗夫福", "gai": "盖", "ge": "格戈歌葛", "gen": "根", "gu": "古谷", "ha": "哈", "hai": "海", "han": "汉翰涵",
    "he": "赫荷", "heng": "亨", "hu": "胡琥", "hua": "华", "huo": "霍", "ji": "吉基姬季纪", "jia": "加嘉佳贾伽", "jian": "简",
    "jie": "杰洁婕捷", "jin": "金锦", "ka": "卡", "kai": "凯恺", "kan": "坎", "kang": "康", "kao": "考", "ke": "克可柯科珂",
    "ken": "肯", "kou": "寇", "ku": "库", "kun": "昆", "la": "拉菈腊", "lai": "莱", "lan": "兰岚蓝", "lao": "劳", "le": "勒乐",
    "lei": "雷蕾", "li": "利莉丽里理黎俐璃力历", "lian": "莲", "lie": "列", "lin": "林琳霖", "ling": "玲灵", "liu": "柳", "long": "隆",
    "lu": "露卢路璐鲁陆", "lun": "伦仑纶", "luo": "洛罗萝珞", "ma": "马玛", "mai": "迈麦", "man": "曼蔓", "mei": "梅美媚玫", "men": "门",
    "meng": "蒙", "mi": "米咪密蜜弥", "min": "敏", "mo": "莫默摩茉", "mu": "穆慕姆", "na": "纳娜那", "nai": "奈", "nan": "南楠",
    "nei": "内", "ni": "尼妮霓旎", "nuo": "诺娜", "ou": "欧鸥", "pa": "帕葩", "pai": "派", "pan": "潘", "pei": "佩沛培",
    "pi": "皮匹", "po": "波珀", "pu": "普蒲谱", "qi": "奇琪琦齐绮淇祺契", "qia": "恰", "qiao": "乔巧", "qie": "切", "qin": "琴秦",
    "qiong": "琼", "qiu": "秋丘", "rong": "蓉荣", "ru": "如茹", "rui": "瑞蕊芮睿", "ruo": "若", "sa": "萨莎飒撒", "sai": "赛塞",
    "sang": "桑", "se": "瑟塞", "sen": "森", "sha": "莎沙", "shan": "珊姗杉山", "shi": "施诗史什", "shu": "舒淑", "si": "斯丝思",
    "song": "松", "su": "苏素", "suo": "索", "ta": "塔", "tai": "泰", "tan": "坦", "tang": "汤唐", "te": "特", "ti": "蒂提缇媞",
    "ting": "婷汀", "tong": "通", "tuo": "托陀", "wa": "瓦娃", "wan": "万婉宛", "wei": "薇维威韦卫蔚", "wen": "温文雯", "wo": "沃",
    "wu": "乌伍武", "xi": "西希茜熙锡曦溪席", "xia": "夏霞", "xian": "仙娴", "xiao": "肖晓", "xin": "辛欣馨", "xiu": "修秀", "xue": "雪",
    "xun": "逊珣", "ya": "亚娅雅", "yan": "妍燕艳延", "yang": "扬杨", "yao": "瑶", "ye": "耶叶", "yi": "伊依怡宜艺易", "yin": "因茵音",
    "ying": "英莹樱", "you": "尤优", "yu": "尤玉", "yue": "约", "za": "扎", "ze": "泽", "zhan": "詹", "zhe": "哲",
    "zhen": "珍贞真", "zhu": "朱珠", "zhuo": "卓", "zi": "兹姿紫滋", "zuo": "佐",
}
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
             "s", "y", "w")
# The initials an English consonant is heard as ("" for a syllable with no consonant: 阿, 艾, 伊, 奥; y and w begin
# such syllables in pinyin too).
_ONSETS = {
    "": ("", "y", "w"), "b": ("b", "p"), "p": ("p", "b"), "d": ("d", "t"), "t": ("t", "d"), "g": ("g", "j", "k"),
    "k": ("k", "q", "j", "g"), "c": ("k", "g"), "ck": ("k",), "q": ("k", "q"), "j": ("j", "zh", "q"),
    "ch": ("q", "ch", "zh", "j", "x", "k"), "sh": ("sh", "x"), "s": ("s", "x", "sh", "c"), "z": ("z", "c", "s", "j"),
    "th": ("s", "x", "t"), "f": ("f",), "ph": ("f",), "v": ("w", "f"), "w": ("w", ""), "wh": ("w", "h"),
    "h": ("h", "x"), "l": ("l",), "r": ("l", "r"), "m": ("m",), "n": ("n",), "y": ("y", ""), "x": ("k", "x"),
}
# Before e, i and y, c and g are soft, k is heard as q or j in 琪, 基.
_SOFT = {"c": ("x", "s", "q"), "g": ("j", "q", "g"), "k": ("q", "j", "k")}
# The finals (after the initial; y- and w- syllables as their finals: ya as a, wei as ei) an English vowel is heard as.
_VOWELS = {
    "a": ("a", "ai", "an", "ang", "ia", "ao", "ei", "ua"), "e": ("e", "ei", "ie", "ai", "i", "ue", "en"),
    "i": ("i", "ie", "ei", "ui", "in"), "o": ("o", "uo", "ou", "ao", "e", "u", "ong", "ang"),
    "u": ("u", "ou", "iu", "ong", "e", "ue", "un"), "ai": ("ai", "ei"), "au": ("ao", "o"), "ou": ("ou", "u", "o"),
    "oo": ("u", "ou"), "ee": ("i", "ie"), "ea": ("i", "ie", "ei"), "oa": ("o", "ao", "uo"), "ue": ("u", "ou"),
}
# A consonant no vowel follows, written as a syllable of its own (布 for the b of Gabriella, 斯 for a closing s).
_LONE = {"b": "bu", "p": "pu", "d": "de", "t": "te", "g": "ge", "k": "ke", "c": "ke", "ck": "ke", "f": "fu",
         "ph": "fu", "v": "fu", "s": "si shi", "z": "zi", "sh": "shi", "ch": "ke", "j": "qi", "m": "mu", "n": "en",
         "l": "er", "r": "er", "h": "he", "th": "si", "x": "ke"}
_UNIT_RE = re.compile(r"ch|sh|th|ph|ck|wh|qu|[aeiou]+|y(?![aeiou])|[b-df-hj-np-tv-z]")
_VOWEL_SPLIT = ("ia", "io", "ie", "ea", "eo", "ua", "oe", "ya", "iu", "ua", "ue")  # two syllables: Vi-an, Chlo-e


@cache
def _readings() -> dict[tuple[str, str], str]:
    """(initial, final) -> characters; y- and w- syllables under both their letter and no initial."""
    table: dict[tuple[str, str], str] = {}
    for syllable, chars in _CHARACTERS.items():
        initial = next((i for i in _INITIALS if syllable.startswith(i) and len(syllable) > len(i)), "")
        final = syllable[len(initial):]
        keys = [(initial, final)]
        if initial in ("y", "w"):
            keys.append(("", final))
            if initial == "y" and final in ("i", "in", "ing"):
                keys.append(("", final))
        for key in keys:
            table[key] = table.get(key, "") + chars
    return table


def _characters(onset: str, vowel: str, nasal: bool) -> frozenset[str]:
    """The characters that write a syllable of this consonant and vowel (with -n after the vowel when ``nasal``)."""
    first = vowel[0]
    initials = (_SOFT.get(onset) if onset in _SOFT and first in "eiy" else None) or _ONSETS.get(onset, (onset,))
    finals = set(_VOWELS.get(vowel) or _VOWELS.get(first, ()))
    if onset in ("j", "ch") and first == "a":
        finals.add("ie")  # Jack, Jason: 杰克, 杰森
    if nasal:
        if first == "i":
            finals.add("en")  # Kevin, Calvin: 凯文, 卡尔文
        finals |= {final + "n" for final in finals if not final.endswith("n")} | {
            final + "ng" for final in finals if not final.endswith("n")}
        if first == "e":
            finals.add("un")  # Helen: 海伦
    readings = _readings()
    return frozenset(char for initial in initials for final in finals
                     for char in readings.get((initial, final), ""))


def _lone(consonant: str) -> frozenset[str]:
    readings = _LONE.get(consonant, "").split()  # s: 斯 (Xinhua) or 史 (Steven: 史蒂文)
    return frozenset(char for reading in readings for char in _CHARACTERS.get(reading, ""))


def _units(name: str) -> list[str]:
    """The name cut into consonants and vowels: a final silent e dropped (Grace), y as a vowel after a consonant."""
    if len(name) > 3 and name.endswith("e") and name[-2] not in "aeiouy" and name[-3] in "aeiou":
        name = name[:-2] + ("s" if name[-2] == "c" else name[-2])  # Grace, Alice: a soft c is an s
    if name.endswith("ey") and len(name) > 3:
        name = name[:-2] + "i"  # Ashley, Kelsey: a closing i
    units = _UNIT_RE.findall(name)
    if units and units[-1] in ("ie", "ee"):
        units[-1] = "i"  # Jessie, Sophie: one closing vowel
    found: list[str] = []
    for unit in units:
        if unit == "y" and found and found[-1][0] not in "aeiou":
            found.append("i")
        elif unit[0] in "aeiou" and len(unit) >= 2 and unit[:2] in _VOWEL_SPLIT and unit != "i":
            found += [unit[0], unit[1:]]
        elif unit == "qu":
            found += ["q", "u"]
        else:
            found.append(unit)
    return found


# Forms usage fixed that the syllables do not give, with a character too common in text to be in the table (大 is
# "big": every 大 in a post would be tried as the start of a name).
_CONVENTIONAL = {"david": ("大卫",), "rachel": ("瑞秋", "蕾切尔"), "daniel": ("丹尼尔", "丹尼"), "luna": ("露娜",),
                 "ivy": ("艾薇",), "sunny": ("桑尼",), "jennifer": ("詹妮弗", "珍妮弗"), "jenny": ("珍妮",)}


def conventional(name: str) -> list[tuple[frozenset[str], ...]]:
    """The forms usage writes a name with (瑞秋 of Rachel, 艾薇 of Ivy): they beat a form another name's syllables
    happen to fit (艾薇 fits Evie too)."""
    return [tuple(frozenset(char) for char in form) for form in _CONVENTIONAL.get(name, ())]


def patterns(name: str) -> list[tuple[frozenset[str], ...]]:
    """The ways an English given name (folded, letters only) is written in characters: for each, the characters
    that may stand at each place. Names of two syllables at least; a few patterns each."""
    if not name.isascii() or not name.isalpha() or len(name) < 3:
        return []
    units = _units(name)
    # Syllables: (optional lone consonants before, onset, vowel, nasal after).
    syllables: list[tuple[list[str], str, str, bool]] = []
    pending: list[str] = []
    for unit in units:
        if unit[0] in "aeiou":
            onset = pending.pop() if pending else ""
            syllables.append((pending, onset, unit, False))
            pending = []
        else:
            pending.append(unit)
    if not syllables:
        return []
    # A consonant between two vowels that is doubled (Anna, Bella) or an n before another consonant (Linda,
    # Wendy) closes the syllable before it: as -n after its vowel, or unwritten.
    rows: list[tuple[list[frozenset[str]], list[frozenset[str]]]] = []
    for number, (before, onset, vowel, _nasal) in enumerate(syllables):
        nxt = syllables[number + 1] if number + 1 < len(syllables) else None
        nasal = bool(nxt and nxt[0] and nxt[0][0] in ("n", "m"))  # Anna, Linda: an, lin
        sets = [_characters(onset, vowel, False)]
        if nasal:
            sets.append(_characters(onset, vowel, True))
        lone = [_lone(consonant) for consonant in before if not (consonant in ("n", "m") and number)]
        rows.append((lone, sets))
    tail = pending  # consonants after the last vowel
    alternatives: list[list[frozenset[str]]] = [[]]
    for lone, sets in rows:
        grown = []
        for alternative in alternatives:
            for choice in sets:
                grown.append([*alternative, choice])
                if lone and len(alternatives) < 8:
                    grown.append([*alternative, *lone, choice])
        alternatives = grown
    if tail:
        last = tail[-1]
        if last in ("n", "m") and alternatives:
            nasal_last = _characters(syllables[-1][1], syllables[-1][2], True)
            alternatives += [[*alternative[:-1], nasal_last] for alternative in alternatives]
        if last == "x":  # Max, Alex: ks, two syllables always written (麦克斯, 亚历克斯)
            alternatives = [[*alternative, _lone("k"), _lone("s")] for alternative in alternatives]
        elif (lone := _lone(last)) and last not in ("r",):
            alternatives += [[*alternative, lone] for alternative in alternatives]
    found = [tuple(frozenset(char) for char in form) for form in _CONVENTIONAL.get(name, ())]
    for alternative in alternatives:
        pattern = tuple(alternative)
        if 2 <= len(pattern) <= 6 and all(pattern) and pattern not in found:
            found.append(pattern)
    return found[:12]


def pet_patterns(found: list[tuple[frozenset[str], ...]]) -> tuple[list, list]:
    """Pet forms: the first syllable doubled, and the last one doubled (贝贝 of 贝拉, 娜娜 of 安娜); a doubled
    pattern needs the same character twice (``fits``)."""
    firsts, lasts = [], []
    for pattern in found:
        for pets, chars in ((firsts, pattern[0]), (lasts, pattern[-1])):
            if (chars, chars) not in pets and (chars, chars) not in found:
                pets.append((chars, chars))
    return firsts, lasts


@cache
def foreign_name_after(text: str, end: int) -> bool:
    """Whether another name written by its syllables follows at text[end] (汤姆克鲁斯, 奥利维亚罗德里戈): three
    characters or more of the syllable table, one mostly found in names; the name before is that person's."""
    run = 0
    while end + run < len(text) and text[end + run] in _TABLE_CHARACTERS:
        run += 1
    return run >= 3 and any(_name_character(char) for char in text[end:end + run])


_TABLE_CHARACTERS = frozenset("".join(_CHARACTERS.values()))


def _name_character(char: str) -> bool:
    """A character mostly found in names, rarely in everyday words (Zipf frequency below 4.7: 贝, 娜, 薇, 琪, 尼, not
    拉, 西, 安, 可)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(char, "zh") < 4.7


# Transliterations that jieba tags as common nouns, though they are given names first (David, Louis).
_NAMES_FIRST = frozenset(("大卫", "路易"))


def sound_kind(run: str, *, pet: bool = False) -> str:
    """rare or ordinary (``name_parts``) for a Chinese run that writes a member's English name (``pet``: a doubled
    syllable, rare only by its characters: jieba's 拉拉 is a name, 拉拉裤 a nappy)."""
    from app.research.name_parts import ORDINARY, RARE, chinese_words

    count, tag = chinese_words().get(run, (0, ""))
    named = any(_name_character(char) for char in run)
    if (tag.startswith("nr") or run in _NAMES_FIRST) and not pet and (named or count < 100 or run in _NAMES_FIRST):
        return RARE  # 安娜, 杰西: a person's name (not 拉拉, which is a nappy too)
    if count >= 20:
        return ORDINARY  # 可可 (cocoa), 西拉
    return RARE if named else ORDINARY


def fits(pattern: tuple[frozenset[str], ...], run: str) -> bool:
    """Whether a Chinese run is written as the pattern says (a pet pattern: the same character twice)."""
    if len(run) != len(pattern) or not all(char in chars for char, chars in zip(run, pattern)):
        return False
    return not (len(pattern) == 2 and pattern[0] is pattern[1]) or run[0] == run[1]
