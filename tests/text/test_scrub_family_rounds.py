"""The identifier corpora of the independent checks (tests/text/data/families: a TSV per family, written before the
rules and kept fixed), one round a row of ROUNDS: its families, whose every line must come out as its ``expected``
column says, and its near-miss ham, whose every line stays as written. Each round reports caught/total per family;
each line is a test.

- families (third check): resident IDs with an X check digit or split in three to five groups or in full-width
  digits, 15-digit IDs; Luhn card numbers of 16 to 19 digits in groups of four (card and ID numbers carry right check
  digits, computed when the corpus was written); mobiles after +86, 0086 or 86-, split by spaces, dashes, dots,
  underscores or emoji, in Chinese numerals (一三八…, 幺) and full-width digits; landlines and 400 lines;
  international numbers (+44, +1, +852, +886…); WeChat, QQ and Weibo handles behind 加V, V:, vx, wx, 薇, 威信, 卫星,
  绿泡泡, 扣扣, 企鹅 and full-width letters; emails spelled with at/dot, (at), [at], ＠ and 艾特; plates with a dot,
  a space or none, new-energy plates of eight characters. Ham (ham.tsv): orders, prices, dates, percentages, SPF,
  volumes, batch and product codes, versions, times, talk of numbers without one.
- disguises (fourth check, disguise.tsv): Weibo as 围脖, wb, wb搜, 微bo, 薇博; Instagram as ins, IG, insta; LINE (and
  賴 in Taiwan); 小红书 as 红薯 and 小红薯, with a Chinese or Latin account name; emails with AT/DOT in capitals and no
  spaces (xATqqDOTcom) or 圈 for @; plates with no separator, including a Q that is no QQ. Ham (disguise_ham.tsv): a
  scarf called 围脖, "ins风", an eyeliner's line, a roast sweet potato, 朋友圈 and 黑眼圈, ATM, 京东618, a grade-A
  scenic spot.
- round 6: international numbers with dots between their groups (+44 7700.900.123, 1.415.555.0134); English street
  addresses with a letter on the house number (221B Baker Street), a flat before them and a town and postcode after
  (Flat 3, 12 Rose Lane, Leeds LS1 4AB) or an apartment after (1234 Elm St Apt 5); phone numbers spelled in words
  (one three eight…, oh seven seven double oh…), in Chinese numerals in groups (幺三八 一二三四 五六七八) or mixed
  with digits; WeChat and QQ ids spelled out letter by letter after the messenger's name, itself spaced ("w x : t o m
  1 2 3", "v x 号 t o m"); 小红书 and 抖音 written with emoji (小🍠, 🍠号, 抖🎵) or as 红薯号, 薯号. Ham (round6_ham.tsv):
  prices, dotted dates and versions, order numbers, times, ingredient percentages, "one two three" as counting, 一三五
  as weekdays, 三八妇女节, a roast sweet potato, "抖🎵上看到的".
- round 7: WeChat by its euphemisms (绿色软件, 绿泡泡, 绿色app, 绿色聊天软件, 绿软) before an id, and an id with the
  messenger named after it ("搜 meiyan888（微信）", "yuki0521 是我的微信"); QQ by 企鹅, 扣扣, q号, a number named after
  it ("2847561930（QQ）") and a personal number given beside a QQ group ("QQ群里找我，个人号 12345678"); 小红书 by 小红薯,
  RED id, 红书号, and Weibo by 新浪微博, 微博 and 围脖 before a bare account. Ham (round7_ham.tsv): 绿色软件 as portable
  software, 绿色版, a penguin, q版, order and member numbers in brackets, 微信支付, 小红薯 the sweet potato, red
  lipstick, Weibo's trending list.
- round 8: postcodes given with a label (邮编100020, "UK postcode SW1A 1AA", "Zip code 90210"); Telegram and LINE
  accounts and links (tg @name, 电报群 t.me/…, line.me/ti/p/~name, LINE的ID：name); handles after a platform word with
  an @, Chinese ones too ("来小红书找我 @苏苏爱护肤", "ig → @name"), dy号, a Weibo uid and a 小红书 profile short link;
  WeChat as wx and look-alikes of 微信 (溦信), 🌿 with 绿泡泡 after, QQ as 🐧 and a QQ group number; emails with # for
  @; phone numbers with o and l for 0 and 1, Taiwan landlines in brackets, new-energy plates with a space and
  addresses with a unit and room. Ham (round8_ham.tsv): labelled order and courier tracking numbers, bare six-digit
  numbers, "zip up", 电报大楼, line 2, a bare @, 🐧 and 🌿.
- round 9: mobiles with 一 (Chinese "one") or a CJK dash between the groups (182一4648一6162, 176—8899—0011);
  Telegram after telegram, tg, 电报, 飞机 and 纸飞机(号), with or without an @; Douyin after 抖音号, dy, douyin and
  "tiktok 国内版"; Bilibili after B站, 小破站, 哔哩哔哩 with UID or id; emails with # or （at） for @; addresses whose
  estate, building (A座, 3栋, 311号楼), unit and room follow the street number; labelled Chinese postcodes, also bare
  ("邮编 200030": privacy first, see app.text.accounts) and Canadian and British ones after "postal code"/"postcode";
  plates whose tail has several letters (苏J·NYBL5, 鄂JSEXC2). Ham (round9_ham.tsv): labelled order numbers that pass
  Luhn (订单编号, 单号, order no.), "邮编 100871 的那个区", 一 as a word among digits (3一5瓶, 第一一二页), 飞机 and
  纸飞机 as planes, 抖音 and B站 named without an account, # as a colour number or a tag, 号楼 with no address.
- round 10 (the ninth check's accounts on other sites): a handle given as one's ID, username, 小号, 马甲 or 网名 on
  another site ("我在别的论坛的ID是 …", "… 这个号是我以前用的", "my old account was …"). Ham (round10_ham.tsv): a
  product or goods ID, an ID or account without a handle, a shade (色号), a small size (小号), 我叫外卖, versions.
- round 12 (the twelfth check's accounts): a handle of Latin letters only, given as one's own account elsewhere
  ("daydayup 这个号是我以前的", "my old account was daydayup", "My username on Reddit is …"). Ham (round12_ham.tsv):
  English words in the same frames ("this account is my main one", "my old account was deleted", "账号 login 不了"),
  and the frames with no handle ("这个号是我以前用的").
- round 13 (the thirteenth check): homes given without a road before them, an estate and a tower with its room
  (颐和国际A座2105), a building with its unit and room (3号楼2单元601, 5幢301室) or a building with a letter code after
  a road in 道 (高新南七道R2-B栋301); travel and identity documents other than the resident ID after their label
  (回乡证, 港澳居民来往内地通行证, 港澳通行证, 台胞证, passports, Hong Kong and Taiwan ID cards, driving licences, social
  security numbers); personal phone numbers beside service numbers (400/800 lines, 95588, 12345, 10086), which stay.
  Ham (round13_ham.tsv): a building, unit, floor or phase without a room (展厅在3号楼, A座电梯坏了, 第2单元的课),
  lines, shades, instalments, model and order numbers, train and flight numbers, documents named without a number,
  and service numbers on their own."""
from __future__ import annotations

import pytest

from app.text.scrub import scrub_contacts
from tests.text.families import corpus_lines, family_report, ham_params, identifier_params

# round -> (its families, its near-miss ham)
ROUNDS = {
    "families": (("id_number", "bank_card", "phone", "handle", "email", "plate"), "ham"),
    "disguises": (("disguise",), "disguise_ham"),
    "round6": (("phone_intl", "address_en", "spelled_phone", "spaced_handle", "platform_emoji"), "round6_ham"),
    "round7": (("round7_wechat", "round7_qq", "round7_red_weibo"), "round7_ham"),
    "round8": (("round8_postcode", "round8_telegram_line", "round8_platform_at", "round8_wechat_qq", "round8_email",
                "round8_phone_plate_address"), "round8_ham"),
    "round9": (("round9_phone_dash", "round9_telegram", "round9_douyin", "round9_bilibili", "round9_email",
                "round9_address", "round9_postcode", "round9_plate"), "round9_ham"),
    "round10": (("round10_account",), "round10_ham"),
    "round12": (("round12_account",), "round12_ham"),
    "round13": (("round13_address", "round13_document", "round13_phone"), "round13_ham"),
}


@pytest.mark.parametrize("round_name", ROUNDS)
def test_report_per_family(round_name, capsys):
    """Prints e.g. 'phone: 86/86 caught'; the per-line tests below are what fail."""
    families, ham = ROUNDS[round_name]
    with capsys.disabled():
        print(f"\n{round_name} corpus: " + family_report(families, ham))
    assert all(expected != text for name in families for text, expected in corpus_lines(name))
    assert all(expected == text for text, expected in corpus_lines(ham))


@pytest.mark.parametrize("text, expected", [param for families, _ham in ROUNDS.values()
                                            for param in identifier_params(families)])
def test_identifier_is_replaced_by_its_placeholder(text, expected):
    assert scrub_contacts(text) == expected


@pytest.mark.parametrize("text", [param for _families, ham in ROUNDS.values() for param in ham_params(ham)])
def test_near_miss_ham_stays_as_written(text):
    assert scrub_contacts(text) == text
