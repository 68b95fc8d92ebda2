"""Where a word written like a member's name names something else, and where a sentence calls a member by it.

One decision in one place, with one brand list (``BRANDS``) and one list of what follows a name when it is a thing's
(``THINGS_AFTER``); ``member_names`` asks it at two moments and passes in what it knows (its cue words, the first
words of members' names, the romanised surnames).

**Things that wear a name** (the word is not the member there). While a name is matched (``names_a_thing``,
``names_a_work_or_quality``; a shorter name may still match there):

- a brand or a product that holds a given name (MAC Ruby Woo, Frank Body, Tony Moly, Chanel Coco Mademoiselle, Marc
  Jacobs Daisy, iPhone 15 Pro Max): the brands that start with a given name and a few products (the name with the
  word that follows it, ``_product_phrases``), and a general rule: a name right after a known brand ("Chanel Coco",
  "MAC的Ruby") or after a model word ("Pro Max", "Galaxy S24 Ultra"), or before a product's word (the Rose
  collection, Max strength) or a hyphen (Li-ion);
- a month where a date needs one ("launches in May", "since June", "31 May", "May 5th", "from April to June"), not
  where a person is ("thanks May", "May said", "in May's post");
- a work's title: inside 《》, after 唱, 弹, 哼, 播放 ("给宝宝唱小星星"), before 这首, 儿歌, 变奏曲 ("小星星这首儿歌");
- a reduplicated adjective (萌萌的小猫, 心里暖暖的, 暖暖的阳光, 萌萌哒): a name of one character doubled that is an
  adjective, before 的, 地 or 哒, unless what follows 的 is a person's (萌萌的帖子, 萌萌的方法) or the sentence calls the
  member right before it (谢谢萌萌的分享).

Once the longest name is found (``stands_for_something_else``: no name starts inside it then): another person or a
brand after a given name (Emily Weiss, Daniel Wellington), a brand in capitals before it (FOREO Luna), a brand's own
spelling (KIKO, ViVi), a work (watched Emily in Paris, the "Rachel" cut); in Chinese a texture, a colour, a pet, a
toy, a shop or a card (质地糖糖的, 桃桃色, 我家狗叫阿花, 琪琪格, 老K). A name written in characters inside a brand or
a loan word (安娜苏, 戴森, 艾特: ``holds_a_name``) or before a product (露娜洁面仪: ``product_after_sound``) is no
member either.

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
import unicodedata
from collections.abc import Container

from app.research.name_parts import CJK_RE, SURNAMES, chinese_words, common_word

# Every brand the name rules know, once, as the brand writes it, with what it does to a name (merged from the lists
# name_context and member_names kept; a spelling keeps the roles it had, as a brand's Latin and Chinese spellings do
# not share theirs):
# - "before": a name right after it is the brand's product (Chanel Coco, MAC的Ruby, 香奈儿 Coco);
# - "name": it starts with a given name, which is the brand's there (Tom Ford, Jo Malone, Paula's Choice);
# - "spelt": a word written exactly so is the brand, not a member of that name, unless a cue calls the member (KIKO,
#   the magazine ViVi, Chanel's COCO);
# - "holds": a member's name written in characters inside it is the brand's (安娜苏 of 安娜, 戴森).
BRANDS = {
    "MAC": "before", "魅可": "before", "CHANEL": "before spelt", "香奈儿": "before holds", "COCO": "spelt",
    "Dior": "before", "迪奥": "before holds", "YSL": "before", "圣罗兰": "before holds", "NARS": "before spelt",
    "Lancôme": "before", "兰蔻": "before holds", "Clinique": "before", "Estée Lauder": "before name",
    "雅诗兰黛": "before holds", "Fenty": "before", "Too Faced": "before", "Urban Decay": "before", "Benefit": "before",
    "Glossier": "before", "Marc Jacobs": "before name", "Tom Ford": "before name", "汤姆福特": "before",
    "Jo Malone": "before name", "祖玛珑": "before", "Jo Loves": "name", "Byredo": "before", "Diptyque": "before",
    "Le Labo": "before", "Kiehl's": "before", "科颜氏": "holds", "La Mer": "before", "海蓝之谜": "holds",
    "Laneige": "before", "Innisfree": "before", "Sulwhasoo": "before", "Shiseido": "before", "资生堂": "holds",
    "SK-II": "before", "Armani": "before", "阿玛尼": "before holds", "Givenchy": "before", "纪梵希": "before holds",
    "Gucci": "before", "Prada": "before", "Burberry": "before", "Hermès": "before", "Guerlain": "before",
    "娇兰": "before holds", "Bobbi Brown": "before name", "芭比波朗": "holds", "Laura Mercier": "before name",
    "Hourglass": "before", "Apple": "before", "苹果": "before", "iPhone": "before", "iPad": "before",
    "Samsung": "before", "Huawei": "before", "Xiaomi": "before", "Dyson": "before", "戴森": "holds",
    "Sephora": "before", "丝芙兰": "holds", "KIKO": "spelt", "ViVi": "spelt",
    "Frank Body": "name", "Tony Moly": "name", "Max Factor": "name", "Kylie Cosmetics": "name", "Kylie Skin": "name",
    "Charlotte Tilbury": "name", "Anna Sui": "name", "安娜苏": "holds", "Paula's Choice": "name",
    "Elizabeth Arden": "name", "Sunday Riley": "name", "Victoria's Secret": "name", "Victoria Beckham": "name",
    "Mario Badescu": "name", "Kat Von D": "name", "Pat McGrath": "name", "Olivia Burton": "name",
    "Tata Harper": "name", "Rose Inc": "name", "Bella Vita": "name", "Huda Beauty": "name",
    "贝拉米": "holds", "露华浓": "holds", "娇韵诗": "holds", "薇诺娜": "holds", "珂莱欧": "holds", "妮维雅": "holds",
    "艾惟诺": "holds", "艾杰普": "holds", "茱莉蔻": "holds", "欧莱雅": "holds", "美宝莲": "holds", "蒂芙尼": "holds",
    "屈臣氏": "holds", "莎莎": "holds", "安利": "holds", "芭比": "holds", "佩奇": "holds", "迪士尼": "holds",
    "宜家": "holds", "星巴克": "holds", "麦当劳": "holds", "肯德基": "holds", "杰克琼斯": "holds", "凯文克莱": "holds",
    "可可小姐": "holds", "汤姆猫": "holds", "乐乐茶": "holds",
}
# Codes written in capitals that are a brand's, a product's or a unit's, never a member's initials or handle
# letters (SK-II, YSL, CPB, SPF, ML).
_CODES = frozenset((
    "sk", "skii", "ysl", "cpb", "lv", "mac", "nars", "nyx", "tf", "ck", "mk", "dw", "ga", "cd", "ct", "mb", "lm", "lp",
    "spf", "pa", "ml", "mg", "kg", "cm", "mm", "uv", "uva", "uvb", "bb", "cc", "dd", "ph", "vc", "ve", "aha", "bha",
    "pha", "id", "pk", "diy", "kol", "koc", "vip", "app", "pr", "ps", "ppt", "mv", "ok", "qq", "tb", "jd", "dm",
    "ip", "ai", "ceo", "hr", "dna", "bmi", "led", "usb", "gps"))


def brand_code(key: str) -> bool:
    """Whether a folded word is a brand's, a product's or a unit's code (ysl, spf, ml), or a brand written in
    capitals (MAC, NARS)."""
    return key in _CODES


# Loan words written like an English name in characters (艾特 is "@"): a name inside one is no member either.
_LOAN_WORDS = frozenset(("艾特", "拜拜", "哈喽"))
# Products that hold a given name: the name, then the word(s) the product's name goes on with (MAC Ruby Woo).
_PRODUCTS = {"ruby": r"woo", "coco": r"mademoiselle|noir|chanel|crush", "daisy": r"love|dream|eau",
             "kylie": r"lip\s?kit", "rose": r"de\s+mai"}


def _plain(spelling: str) -> str:
    """A spelling in lower case without its accents (Estée Lauder: estee lauder)."""
    return "".join(char for char in unicodedata.normalize("NFKD", spelling.lower()) if not unicodedata.combining(char))


def _brands(role: str) -> list[str]:
    return [spelling for spelling, roles in BRANDS.items() if role in roles.split()]


def _spelt_as(spelling: str) -> str:
    """A regex of a spelling in any case, accented or not, with either apostrophe (kiehl['’]s, estee lauder)."""
    forms = dict.fromkeys((spelling.lower(), _plain(spelling)))
    return "|".join(re.escape(form).replace("'", "['’]") for form in forms)


def _product_phrases() -> dict[str, str]:
    """The name a brand or a product starts with, and the word(s) its name goes on with (tom: ford, paula: 's
    choice, rose: inc or de mai)."""
    phrases = {name: [partner] for name, partner in _PRODUCTS.items()}
    for spelling in _brands("name"):
        name, rest = re.match(r"([^\W\d_]+)(.*)", spelling).groups()
        partner = r"\s+".join(re.escape(word).replace("'", "['’]") for word in rest.lower().split())
        phrases.setdefault(_plain(name), []).append(partner)
    return {name: "|".join(partners) for name, partners in phrases.items()}


_PRODUCT_PHRASE = {name: re.compile(rf"\s*(?:{partner})(?![A-Za-z])", re.IGNORECASE)
                   for name, partner in _product_phrases().items()}
_BRAND_BEFORE = re.compile(rf"(?<![\w'])(?:{'|'.join(_spelt_as(brand) for brand in _brands('before'))})\s*(?:的\s*)?\Z",
                           re.IGNORECASE)
_SPELT_BRANDS = frozenset(_brands("spelt"))
_HOLDING_WORDS = frozenset(_brands("holds")) | _LOAN_WORDS
_MODEL_WORDS = "pro|plus|ultra|mini|air|lite"
_MODEL_BEFORE = re.compile(rf"(?<![\w'])(?:{_MODEL_WORDS})\s+\Z", re.IGNORECASE)
# A model's name goes on before a name: "iPhone 15 Pro Max", "Galaxy S24 Ultra".
_PRODUCT_BEFORE = re.compile(rf"(?<![\w'])(?:{_MODEL_WORDS}|max|edition|series|[0-9]+[a-z]*)\s+\Z", re.IGNORECASE)

# What follows a name when the name is a thing's, each cue once, with the names it follows there:
# - "latin": a capitalised Latin word written straight into Chinese (Ruby色号, Rose系列, Apple手机);
# - "chinese": a name in Chinese characters (桃桃色, 猪猪女孩, 琪琪格, 安妮宝贝, 小白兔奶糖, 老王卖瓜);
# - "sound": an English name written in characters by its sounds (露娜洁面仪, 安娜苏香水);
# - "work": a name in Chinese characters that is a work's title (小星星这首儿歌);
# - "english": a Latin word and a space, in any case (the Rose collection, the Ming dynasty, Max strength).
THINGS_AFTER = {
    "色": "latin chinese", "味": "latin", "味(?!道)": "chinese", "香": "latin", "款": "latin", "号": "latin",
    "版": "latin", "金": "latin", "系": "latin", "系列": "sound", "牌": "latin", "牌子": "sound", "品牌": "sound",
    "口红": "latin sound", "唇": "latin", "唇膏": "sound", "唇釉": "sound", "香水": "latin sound",
    "面霜": "latin sound", "精华": "latin sound", "眼影": "latin sound", "粉底": "latin sound", "气垫": "latin sound",
    "手霜": "latin", "面膜": "latin", "洗面奶": "latin", "磨砂": "latin", "套装": "latin", "礼盒": "latin",
    "限定": "latin", "专柜": "latin sound", "旗舰店": "latin sound", "手机": "latin", "手表": "latin", "耳机": "latin",
    "电脑": "latin", "洁面仪": "sound", "美容仪": "sound", "洗脸仪": "sound", "仪器": "sound", "奶粉": "sound",
    "的色号": "latin", "的颜色": "latin", "的味道": "latin", "的包装": "latin", "的香味": "latin", "的新品": "latin",
    "的产品": "latin", "的专柜": "latin", "的官网": "latin", "的口红": "latin", "的香水": "latin", "的面霜": "latin",
    "的精华": "latin",
    "女孩": "chinese", "男孩": "chinese", "侠": "chinese", "乌龙": "chinese", "奶糖": "chinese", "超市": "chinese",
    "商店": "chinese", "小店": "chinese", "宝贝": "chinese", "茶(?!话会|几|余)": "chinese", "格(?![外])": "chinese", "片(?![刻面])": "chinese", "卖瓜": "chinese",
    "这首": "work", "那首": "work", "儿歌": "work", "童谣": "work", "的歌": "work", "歌曲": "work", "变奏曲": "work",
    "钢琴曲": "work", "这部": "work", "绘本": "work", "动画": "work",
    **dict.fromkeys(("collection", "dynasty", "strength", "series", "edition", "range", "line", "shade", "palette",
                     "serum", "cream", "toner", "oil", "water", "gold", "formula", "brand", "set", "kit", "version",
                     "size", "pro", "plus", "mini", "era", "period", "vase", "battery", "batteries", "tea", "garden",
                     "gardens", "hotel", "street", "road", "park", "lipstick", "lipsticks", "perfume", "fragrance",
                     "scrub", "lotion", "balm", "gloss", "mascara", "cleanser", "edp", "edt", "eau"), "english"),
}


def _things_after(role: str) -> str:
    return "|".join(cue for cue, roles in THINGS_AFTER.items() if role in roles.split())


_PRODUCT_IN_CHINESE = re.compile(_things_after("latin"))
_THING_AFTER = re.compile(_things_after("chinese"))
_PRODUCT_AFTER_SOUND = re.compile(_things_after("sound"))
_TITLE_AFTER = re.compile(rf"\s*(?:{_things_after('work')})")
_PRODUCT_WORD = re.compile(rf"\s+(?:{_things_after('english')})(?![\w'])", re.IGNORECASE)
_HYPHEN_WORD = re.compile(r"-[a-z]")

_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november|december")
_MONTHS = frozenset(_MONTH_NAMES.split("|"))
_MONTH_BEFORE = re.compile(
    rf"(?<![\w'])(?:in|since|until|till|through|throughout|during|early|late|mid|this|next|last|every|from|"
    rf"end of|beginning of|start of|middle of|\d{{1,2}}(?:st|nd|rd|th)?|(?:{_MONTH_NAMES})\s*(?:to|or|and|through|"
    rf"till|until|-|–))\s*-?\s*\Z", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s*(?:\d{{1,4}}(?:st|nd|rd|th)?(?!\w)|(?:to|or|and|-|–|through)\s*(?:{_MONTH_NAMES})(?!\w))",
                          re.IGNORECASE)

_TITLE_BEFORE = re.compile(r"(?:唱|弹|哼|播放|单曲循环|一首)\s*\Z")

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
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def names_a_thing(text: str, start: int, end: int, key: str) -> bool:
    """Whether the Latin word text[start:end] (folded ``key``) names a product, a brand's line, a compound's first
    half or a month here (Ruby Woo, Chanel Coco, Pro Max, Max strength, Li-ion, in May)."""
    if _HYPHEN_WORD.match(text, end) or _PRODUCT_WORD.match(text, end):
        return True  # Li-ion, the Rose collection, Max strength
    before = text[max(0, start - 30):start]
    phrase = _PRODUCT_PHRASE.get(key)
    if phrase is not None and phrase.match(text, end):
        return True  # Ruby Woo, Frank Body, Tony Moly
    if _BRAND_BEFORE.search(before) or _MODEL_BEFORE.search(before):
        return True  # Chanel Coco, MAC的Ruby, Pro Max
    return key in _MONTHS and not text.startswith(("'s", "’s"), end) and bool(
        _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, end))


def model_before(text: str, start: int) -> bool:
    """Whether a model's name goes on right before text[start] ("iPhone 15 Pro Max", "Galaxy S24 Ultra")."""
    return bool(_PRODUCT_BEFORE.search(text, max(0, start - 24), start))


def thing_beside(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word at text[start:end] is a thing's by the words beside it: a product's word or a
    compound's second half after it (the Rose collection, the Ming dynasty, Li-ion), a model's name before it."""
    return bool(_PRODUCT_WORD.match(text, end) or _HYPHEN_WORD.match(text, end)
                or _PRODUCT_BEFORE.search(text[max(0, start - 24):start]))


def holds_a_name(word: str) -> bool:
    """Whether Chinese characters are a brand, a shop or a loan word that a name written in characters runs into
    (安娜苏, 戴森, 艾特)."""
    return word in _HOLDING_WORDS


def product_after_sound(text: str, end: int) -> bool:
    """Whether a product follows an English name written in characters at text[end] (露娜洁面仪, 安娜苏香水)."""
    return bool(_PRODUCT_AFTER_SOUND.match(text, end))


# After a given name: another capitalised word (a surname not the member's, a brand's second word: Emily Weiss,
# Daniel Wellington), a particle of a foreign name (Sophie la girafe), or "& Word" (Coco & Eve).
_OTHER_WORD_AFTER = re.compile(r"(?:[ \u00a0](?P<word>[A-Z][A-Za-z]+)|\s+(?:la|le|de|von|van|di|da|del)\s+[a-z]|\s+&\s+[A-Z])")
_CAPITALS_BEFORE = re.compile(r"(?<![\w])[A-Z]{4,}[ \u00a0]\Z")  # FOREO Luna: a brand in capitals
_TITLE_VERB_BEFORE = re.compile(r"(?i:(?:watch|watched|watching|binged|binge|binging|rewatch|rewatched|read|reading|"
                                r"saw|seen|love|loved)\s+)\Z")
_QUOTED_THING = re.compile(r"(?i:the)\s+[\"“'‘]\Z")  # the "Rachel" cut
# Chinese: a doubled or everyday word used for a texture, a colour or a thing (质地糖糖的, 桃桃色, 猪猪女孩, 像大海的
# 味道), a pet, toy or character named so (我家狗叫阿花, 女主叫思琪), a longer word or a shop (琪琪格, 佳怡超市, 安妮宝贝,
# 小白兔奶糖: THINGS_AFTER), and a card (老K最大 at cards).
_TEXTURE_BEFORE = re.compile(r"(?:质地|口感|手感|摸起来|闻起来|吃起来|肤感)\s*\Z")
_NAMED_THING = re.compile(r"(?:狗|猫|兔|宠物|角色|女主|男主|主角|玩偶|娃娃|公仔|剧|小说|电影|动画)[^。！？\n]{0,8}(?:叫|名叫|取名|起名叫?)\s*\Z")
_PET_NAME = re.compile(r"[兔猫狗猪鱼]")
_PET_OWNER_BEFORE = re.compile(r"(?:我家|我的|家里|养的|养了)\s*\Z")
_CARDS = re.compile(r"扑克|打牌|牌局|斗地主|掼蛋")
# After any name, a space or not: a company, a setting, a star sign (三金药业, MAX档位, Leo 狮子座).
_COMPANY_AFTER = re.compile(r"[^\S\n]?(?:药业|制药|集团|公司|股份|科技|档位|档(?![案期])|狮子座|星座|流星雨)")
# Another person's full name written with a middle dot (苏菲·玛索, 安妮·海瑟薇).
_DOT_NAME_AFTER = re.compile(r"[·・•][\u4e00-\u9fff]")
_DOT_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff][·・•]\Z")
# A character of a work: "爱情公寓里的张伟", "魔女宅急便里的 Kiki", "《小王子》里的"; not a group, a place or an app
# where members are ("群里的", "小区里的", "小红书里的").
_WORK_BEFORE = re.compile(r"(?:《[^》\n]{1,20}》|(?P<work>[\u4e00-\u9fff]{3,8}))里(?:的|面的)?[^\S\n]*\Z")
_PEOPLE_PLACES = re.compile(r"(?:群|班|公司|小区|家|单位|宿舍|学校|部门|团队|团|圈|论坛|评论区|直播间|直播|视频|照片|图片|截图|"
                            r"评论|回复|留言|聊天记录|聊天|对话|名单|列表|榜单|排行榜|现场|课堂|课程|记录|通讯录|好友|粉丝|"
                            r"小组|社区|社群|频道|房间|楼|店|组|课|会|活动|小红书|微博|抖音|B站|微信|帖子|楼下|楼上|城|村|院|"
                            r"区|市|省|国|线下|聚会|办公室|医院|这|那|哪)\Z")
# A doubled name before 的 and a texture or a taste: 糖糖的口感.
_TEXTURE_AFTER = re.compile(r"的(?:口感|质地|味道|甜度|手感|香味|肤感)")
# Sayings that hold a word members use as a name (书中自有颜如玉, 好好学习天天向上): the name is the saying's there.
_SAYINGS = ("书中自有颜如玉", "好好学习天天向上", "好好学习，天天向上", "好好学习,天天向上", "good good study, day day up",
            "good good study day day up", "Good good study, day day up")
_SAYING_REACH = max(map(len, _SAYINGS))


def inside_a_saying(text: str, start: int, stop: int) -> bool:
    """Whether text[start:stop] is part of a well-known saying written around it."""
    window_start = max(0, start - _SAYING_REACH)
    window = text[window_start:stop + _SAYING_REACH]
    for saying in _SAYINGS:
        at = window.find(saying)
        while at >= 0:
            if at <= start - window_start and stop - window_start <= at + len(saying):
                return True
            at = window.find(saying, at + 1)
    return False


def names_someone_else(text: str, start: int, stop: int) -> bool:
    """Whether a name at text[start:stop] (Latin or Chinese) is a company's, a setting's or a star sign's (三金药业,
    MAX档位, Leo 狮子座), another person's full name (苏菲·玛索), a work's character (爱情公寓里的张伟) or part of a
    saying (书中自有颜如玉)."""
    if _COMPANY_AFTER.match(text, stop) or _DOT_NAME_AFTER.match(text, stop) or _DOT_NAME_BEFORE.search(
            text, max(0, start - 2), start):
        return True
    work = _WORK_BEFORE.search(text, max(0, start - 24), start)
    if work and not (work.group("work") and _PEOPLE_PLACES.search(work.group("work"))):
        return True
    return inside_a_saying(text, start, stop)


def stands_for_something_else(text: str, start: int, stop: int, name: str, count: int, *, first_tokens: Container[str],
                              surnames: Container[str], cue_before: re.Pattern, cue_after: re.Pattern) -> bool:
    """Whether a member's name found at text[start:stop] (``name``: its ``count`` folded tokens joined) names someone
    or something else by what stands around it: another person or a brand (Emily Weiss, FOREO Luna, KIKO), a work
    (watched Emily in Paris, the "Rachel" cut), a texture, a colour, a pet or a shop (质地糖糖的, 桃桃色, 我家狗叫阿花,
    琪琪格), a card (老K). The caller's cues (``cue_before``: "thanks", 谢谢, @; ``cue_after``: "said", 说) call the
    member; ``first_tokens`` are the folded first words of members' names and ``surnames`` the romanised surnames, a
    capitalised word after a given name that is neither is someone else's."""
    before = text[max(0, start - 24):start]
    if names_someone_else(text, start, stop) or names_a_name_or_note(text, start, stop, name):
        return True
    if not CJK_RE.match(name):
        return count == 1 and _latin_thing(text, start, stop, before, first_tokens, surnames, cue_before)
    if len(name) == 2 and name[0] == name[1] and _TEXTURE_AFTER.match(text, stop):
        return True  # 糖糖的口感
    if (_TEXTURE_BEFORE.search(before) and text.startswith("的", stop)) or (before.endswith("像") and text.startswith("的", stop)
                                          and not cue_after.match(text, stop)):
        return True
    if _THING_AFTER.match(text, stop) or _NAMED_THING.search(before):
        return True
    if _PET_NAME.search(name) and _PET_OWNER_BEFORE.search(before):
        return True
    return "K" in name.upper() and bool(_CARDS.search(text[max(0, start - 24):stop + 8]))


def _latin_thing(text: str, start: int, stop: int, before: str, first_tokens: Container[str],
                 surnames: Container[str], cue_before: re.Pattern) -> bool:
    """``stands_for_something_else`` for a one-word Latin name."""
    word = text[start:stop]
    if _QUOTED_THING.search(before) and text[stop:stop + 1] in "\"”'’" or _CAPITALS_BEFORE.search(before):
        return True
    if word in _SPELT_BRANDS:
        return not cue_before.search(before)  # KIKO, ViVi: a brand's spelling, not the member's
    after = _OTHER_WORD_AFTER.match(text, stop)
    if after and word[:1].isupper():
        other = after.group("word")
        if other is None:
            return True
        folded = other.casefold()
        if other != "I" and folded not in surnames and folded not in first_tokens:
            return True
    return bool(_TITLE_VERB_BEFORE.search(before) and re.match(r" (?:in|of|and) [A-Z]", text[stop:stop + 5]))


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
    word = text[start:end]
    return (word.isascii() and word.islower() and not common_word(word) and bool(_LINE_END.match(text, end))
            and bool(_WORDS_BEFORE.search(text, max(0, start - 24), start)))


def called_in_chinese(text: str, start: int, end: int) -> bool:
    """Whether a capitalised Latin word is written straight into Chinese as a name ("Vivi也买了同款"): Chinese right
    after it, no product word after it and no model's name before it."""
    if not _CJK.match(text, end) or _PRODUCT_IN_CHINESE.match(text, end):
        return False
    if _PRODUCT_BEFORE.search(text[max(0, start - 24):start]):
        return False  # iPhone 15 Pro Max手机
    return start == 0 or not text[start - 1].isalnum() or bool(_CJK.match(text, start - 1))


# Talk about a name itself, not its bearer: "全国叫张伟的人有多少", "张伟这个名字太常见了".
_CALLED_BEFORE = re.compile(r"(?:叫|名叫|叫做|名字叫|名字是)\s*\Z")
_PEOPLE_SO_CALLED = re.compile(r"\s*的(?:人|同学|朋友|男生|女生|孩子|小孩|明星)")
_THIS_NAME = re.compile(r"\s*(?:这个|这种|这样的|那个)?(?:名字|名儿)")
# A fictional or famous person in a work written in Latin letters before 里 ("Friends里Rachel的发型"), not a
# platform or a chat where members are ("IG里", "Group里").
_LATIN_WORK_BEFORE = re.compile(r"(?<![A-Za-z0-9])(?P<work>[A-Z][A-Za-z0-9' ]{2,24}?)\s*里(?:的|面的)?\s*\Z")
_PLATFORMS = re.compile(r"(?i:ig|ins|instagram|facebook|fb|twitter|x|youtube|reddit|discord|whatsapp|wechat|line|"
                        r"telegram|tiktok|group|chat|app|dm|pm|live|vlog|story|stories|post)\Z")
# A fragrance's or a drink's notes: "西柚和葡萄柚的香调", "前调是西柚".
_NOTES = r"(?:香调|前调|中调|后调|尾调|基调|香气|香味|味道|口味)"
_NOTE_AFTER = re.compile(rf"(?:和|、|与|及|加)[\u4e00-\u9fff]{{1,8}}?的?{_NOTES}")
_NOTE_BEFORE = re.compile(rf"{_NOTES}(?:是|有|为|[:：])[^。！？\n]{{0,10}}\Z")
# A colour or a shade that holds a given name ("Black Cherry", "Dark Amber").
_SHADE_BEFORE = re.compile(r"(?<![A-Za-z0-9])(?:Black|Dark|Deep|Wild|Red|Pink|Golden|Midnight|Velvet|Burnt|Bright|Light|"
                           r"Pale|Nude|Crimson|Frosted|Smoky|Spiced)[ \u00a0]\Z")


def names_a_name_or_note(text: str, start: int, stop: int, name: str) -> bool:
    """Whether a member's name at text[start:stop] (``name``: its folded tokens joined) is talked about as a name
    (叫张伟的人, 张伟这个名字), is a person in a work written in Latin letters (Friends里Rachel), a fragrance's note
    (西柚和葡萄柚的香调) or a shade (Black Cherry), or the first two characters of a longer Chinese personal name
    (刘芳 of 刘芳菲: ``longer_personal_name``). Each pattern is tried only where its anchor character stands: names
    run on every exported row."""
    if _THIS_NAME.match(text, stop):
        return True
    before = text[max(0, start - 30):start]
    tail = before[-6:]
    if _PEOPLE_SO_CALLED.match(text, stop) and _CALLED_BEFORE.search(tail):
        return True
    if "里" in tail and (work := _LATIN_WORK_BEFORE.search(before)) and not _PLATFORMS.match(work.group("work").strip()):
        return True
    if not CJK_RE.match(name):
        return tail.endswith((" ", "\u00a0")) and bool(_SHADE_BEFORE.search(before[-12:]))
    if _NOTE_AFTER.match(text, stop) or (("调" in before or "香" in before or "味" in before)
                                         and _NOTE_BEFORE.search(before)):
        return True
    return longer_personal_name(text, start, stop)


def longer_personal_name(text: str, start: int, stop: int) -> bool:
    """Whether a two-character name of a surname and one character (刘芳) is the start of a longer name: its given
    character and the character after it are a personal name of jieba's dictionary (芳菲, 丽丽: tagged nr) that is
    no everyday word too (华为, 200 occurrences or more, stays the member's: 张华为什么…)."""
    if stop - start != 2 or text[start] not in SURNAMES or not CJK_RE.match(text, stop) or text[stop] in _NAME_FOLLOWERS:
        return False
    count, tag = chinese_words().get(text[start + 1:stop + 1], (0, ""))
    return tag.startswith("nr") and count < _COMMON_NAME_WORD


_COMMON_NAME_WORD = 200
_NAME_FOLLOWERS = frozenset("的地得了着过说们和跟与也都又还就在是吧呢啊呀吗嘛")
