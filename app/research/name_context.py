"""Where a word written like a member's name names something else, and where a sentence calls a member by it.

**Things that wear a name** (``names_a_thing``: the word is not the member there):

- a brand or a product that holds a given name (MAC Ruby Woo, Frank Body, Tony Moly, Chanel Coco Mademoiselle, Marc
  Jacobs Daisy, iPhone 15 Pro Max): a curated list of such phrases (the name with the word that follows it in the
  product's name, ``_PRODUCT_PHRASES``), and a general rule: a name right after a known brand ("Chanel Coco", "MAC的
  Ruby") or after a model word ("Pro Max", "Galaxy S24 Ultra");
- a month where a date needs one ("launches in May", "since June", "31 May", "May 5th", "from April to June"), not
  where a person is ("thanks May", "May said", "in May's post");
- a work's title: inside 《》, after 唱, 弹, 哼, 播放 ("给宝宝唱小星星"), before 这首, 儿歌, 变奏曲 ("小星星这首儿歌");
- a reduplicated adjective (萌萌的小猫, 心里暖暖的, 暖暖的阳光, 萌萌哒): a name of one character doubled that is an
  adjective, before 的, 地 or 哒, unless what follows 的 is a person's (萌萌的帖子, 萌萌的方法) or the sentence calls the
  member right before it (谢谢萌萌的分享).

**Calls** (``called_at_end``, ``closes_line_of_words``, ``called_in_chinese``: the word is the member there, whatever
kind of word it is):

- a name that ends its sentence after a comma, in a clause that speaks to someone (thanks, agreement, praise, "you":
  "Good point, Rachel.", "谢谢分享，可可", "有道理，海哥。"); a list's last item ("牛奶，可可") is no call;
- a lower-case Latin word that is no English word ending a line of words ("that's so true rach");
- a capitalised Latin name written straight into Chinese ("Vivi也买了同款", "Grace的方法"), unless a product word follows
  it (Ruby色号, Rose系列).
"""
from __future__ import annotations

import re

# Brand and product phrases that hold a given name: the name, then the word(s) the product's name goes on with.
_PRODUCT_PHRASES = {
    "ruby": r"woo", "frank": r"body", "tony": r"moly", "coco": r"mademoiselle|noir|chanel|crush",
    "daisy": r"love|dream|eau", "max": r"factor", "kylie": r"cosmetics|skin|lip\s?kit", "charlotte": r"tilbury",
    "bobbi": r"brown", "laura": r"mercier", "jo": r"malone|loves", "anna": r"sui", "marc": r"jacobs",
    "tom": r"ford", "paula": r"['’]s\s+choice", "estee": r"lauder", "elizabeth": r"arden", "sunday": r"riley",
    "victoria": r"['’]s\s+secret|beckham", "mario": r"badescu", "kat": r"von\s+d", "pat": r"mcgrath",
    "olivia": r"burton", "tata": r"harper", "rose": r"inc|de\s+mai", "bella": r"vita", "huda": r"beauty",
}
_PRODUCT_PHRASE = {name: re.compile(rf"\s*(?:{partner})(?![A-Za-z])", re.IGNORECASE)
                   for name, partner in _PRODUCT_PHRASES.items()}
_BRAND_BEFORE = re.compile(
    r"(?<![\w'])(?:mac|chanel|dior|ysl|nars|lancome|lancôme|clinique|estee lauder|estée lauder|fenty|too faced|"
    r"urban decay|benefit|glossier|marc jacobs|tom ford|jo malone|byredo|diptyque|le labo|kiehl['’]s|la mer|"
    r"laneige|innisfree|sulwhasoo|shiseido|sk-ii|armani|givenchy|gucci|prada|burberry|hermes|hermès|guerlain|"
    r"bobbi brown|laura mercier|hourglass|apple|iphone|ipad|samsung|huawei|xiaomi|dyson|sephora|"
    r"香奈儿|迪奥|圣罗兰|兰蔻|雅诗兰黛|魅可|汤姆福特|祖玛珑|娇兰|阿玛尼|纪梵希|苹果)\s*(?:的\s*)?\Z", re.IGNORECASE)
_MODEL_BEFORE = re.compile(r"(?<![\w'])(?:pro|plus|ultra|mini|air|lite)\s+\Z", re.IGNORECASE)

_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|december")
_MONTHS = frozenset(_MONTH_NAMES.split("|"))
_MONTH_BEFORE = re.compile(
    rf"(?<![\w'])(?:in|since|until|till|through|throughout|during|early|late|mid|this|next|last|every|from|"
    rf"end of|beginning of|start of|middle of|\d{{1,2}}(?:st|nd|rd|th)?|(?:{_MONTH_NAMES})\s*(?:to|or|and|through|"
    rf"till|until|-|–))\s*-?\s*\Z", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s*(?:\d{{1,4}}(?:st|nd|rd|th)?(?!\w)|(?:to|or|and|-|–|through)\s*(?:{_MONTH_NAMES})(?!\w))",
                          re.IGNORECASE)

_TITLE_BEFORE = re.compile(r"(?:唱|弹|哼|播放|单曲循环|一首)\s*\Z")
_TITLE_AFTER = re.compile(r"\s*(?:这首|那首|儿歌|童谣|的歌|歌曲|变奏曲|钢琴曲|这部|绘本|动画)")

# Characters whose doubled form is an adjective before 的, 地 or 哒 (萌萌的, 暖暖地, 萌萌哒).
_ADJECTIVES = frozenset("萌暖软甜香美乖胖瘦白红绿黄蓝黑亮高长满圆轻慢静悄好早快淡浓酸辣凉冷热干湿暗清薄厚细粗嫩滑粉紫"
                        "呆憨傻笨乐松紧直弯远近深浅稳晕懒酷闪绵糯脆酥柔肥壮帅痒痛累困饱饿忙凶小大")
# What follows "X的" when X is a person: their posts, words, things and people.
_POSSESSED = re.compile(r"帖|方法|分享|推荐|测评|链接|建议|看法|话|回复|评论|笔记|空瓶|作业|宝宝|老公|孩子|女儿|儿子|店|意见|"
                        r"经验|皮肤|头像|照片|图|号|账号|主页|朋友|妈妈|男朋友|女朋友|家|视频|直播|教程|心得|问题|回答|同款|"
                        r"好物|清单|作品|攻略|口红|包")

# A clause that speaks to someone: thanks, agreement, praise, "you".
_ADDRESSING = re.compile(r"谢|感谢|说得|同意|赞|厉害|有道理|辛苦|哈哈|加油|抱抱|好主意|太对|没错|对的|是的|你|您|"
                         r"(?i:\b(?:thanks|thank|thx|agree|agreed|point|right|true|love|great|nice|good|welcome|sorry|"
                         r"congrats|lol|haha|same|yes|yeah|totally|exactly|absolutely|you|your|you're)\b)")
_LINE_END = re.compile(r"[^\S\n]*[!！.。?？~～…]*[^\S\n]*(?:\n|\Z)")
_CLAUSE_BREAK = re.compile(r"[.!?。！？\n]")
_COMMA_END = re.compile(r"[,，][^\S\n]*\Z")
# What a capitalised word before Chinese names when it is a product: a shade, a line, a flavour.
_PRODUCT_IN_CHINESE = re.compile(r"[色款号版金味香系]|的(?:色号|颜色|味道|包装|香味|新品|产品|专柜|官网|口红|香水|面霜|精华)|"
                                 r"口红|唇|香水|面霜|精华|眼影|粉底|气垫|手霜|面膜|洗面奶|磨砂|套装|礼盒|限定|专柜|旗舰店|"
                                 r"手机|手表|耳机|电脑|牌")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def names_a_thing(text: str, start: int, end: int, key: str) -> bool:
    """Whether the Latin word text[start:end] (folded ``key``) names a product, a brand's line or a month here."""
    before = text[max(0, start - 30):start]
    phrase = _PRODUCT_PHRASE.get(key)
    if phrase is not None and phrase.match(text, end):
        return True  # Ruby Woo, Frank Body, Tony Moly
    if _BRAND_BEFORE.search(before) or _MODEL_BEFORE.search(before):
        return True  # Chanel Coco, MAC的Ruby, Pro Max
    return key in _MONTHS and not text.startswith(("'s", "’s"), end) and bool(
        _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, end))


def names_a_work_or_quality(text: str, start: int, end: int, key: str) -> bool:
    """Whether Chinese characters written like a name are a work's title (《小星星》, 唱小星星) or a reduplicated
    adjective (萌萌的小猫, 心里暖暖的)."""
    if start and text[start - 1] == "《" and text.startswith("》", end):
        return True
    if _TITLE_BEFORE.search(text, max(0, start - 6), start) and not text.startswith("说", end) or _TITLE_AFTER.match(
            text, end):
        return True
    return (len(key) == 2 and key[0] == key[1] and key[0] in _ADJECTIVES and text[end:end + 1] in ("的", "地", "哒")
            and not _POSSESSED.match(text, end + 1))


def called_at_end(text: str, start: int, end: int) -> bool:
    """Whether a word ends its sentence after a comma in a clause that speaks to someone ("谢谢分享，可可")."""
    if not _LINE_END.match(text, end):
        return False
    clause = _CLAUSE_BREAK.split(text[max(0, start - 40):start])[-1]
    return bool(_COMMA_END.search(clause)) and bool(_ADDRESSING.search(clause))


_WORDS_BEFORE = re.compile(r"[A-Za-z']{2,}[^\S\n]+\Z")


def closes_line_of_words(text: str, start: int, end: int) -> bool:
    """Whether a lower-case Latin word that is no English word ends a line of words ("that's so true rach")."""
    from app.research.name_parts import common_word

    word = text[start:end]
    return (word.isascii() and word.islower() and not common_word(word) and bool(_LINE_END.match(text, end))
            and bool(_WORDS_BEFORE.search(text, max(0, start - 24), start)))


def called_in_chinese(text: str, start: int, end: int) -> bool:
    """Whether a capitalised Latin word is written straight into Chinese as a name ("Vivi也买了同款"): Chinese right
    after it and no product word."""
    if not _CJK.match(text, end) or _PRODUCT_IN_CHINESE.match(text, end):
        return False
    return start == 0 or not text[start - 1].isalnum() or bool(_CJK.match(text, start - 1))
