"""What a post's text says about spam once normalised: its links and their domains, contact details, contact phrases.

Everything here reads ``judging_text`` (app.text.normalise), so "hongbao . vip", "ｖｘ：abc123" and "加 薇 xin" look
the same as the plain forms. Pure functions: no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.text.emails import EMAIL_RE
from app.text.normalise import TLDS, disguised_address, disguised_number, judging_text
from app.text.scrub import QQ_NUMBER_RE, WECHAT_ID_RE, has_phone
from app.text.words import is_english_word

# Written-out addresses with a scheme or www, and bare domains ending in a known top-level domain (not an email's).
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"'，。！？、]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(rf"(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:{TLDS})(?![\w-])(?:/[^\s<>()\"'，。]*)?"
                            # under a top-level domain that is also an English word, a hyphenated name only
                            r"|(?<![@\w.-])[a-z0-9]+(?:-[a-z0-9]+)+\.(?:me|to|in|is|it|one|best|page|run|plus|ai|at|be)"
                            r"(?![\w-])(?:/[^\s<>()\"'，。]*)?")
SHORTENERS = ("bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "t.cn", "dwz.cn", "url.cn", "suo.im",
              "cutt.ly", "rb.gy", "shorturl.at", "s.id", "tiny.cc", "v.gd", "t.ly", "bl.ink")
# A shortened link written without a scheme ("is.gd/abc"): the shortener's name and a path.
SHORT_LINK_RE = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(s) for s in SHORTENERS) + r")/[^\s<>()\"']+")
_HOST_RE = re.compile(r"^(?:https?://)?([^/:?#\s]+)")
# Messenger handles and ids that are not WeChat or QQ (both found by the scrubber's patterns).
OTHER_HANDLE_RE = re.compile(r"(?<![a-z])(?:telegram|tg|whatsapp|skype|icq|line|kik)\s*(?:id)?\s*[:：@]\s*@?[a-z0-9_.+]{4,}"
                             r"|(?<![a-z])t\.me/\w+"
                             r"|(?<![a-z])dm\s+(?:me\s+)?@[a-z0-9_.]{3,}"
                             r"|(?<![a-z])(?:instagram|insta|ig|ins|twitter|tiktok|facebook|fb|snapchat|微博|抖音|小红书)(?:\s*on)?"
                             r"[^@\n]{0,6}@[^\s@,，。]{3,}"
                             r"|(?<![a-z])(?:纸?飞机|电报|tg|telegram|whatsapp|line|skype)号?\s*(?:id)?\s*[:：]?\s*@[a-z0-9_]{4,}"
                             r"|(?<![a-z])(?:wa\.me|t\.me|m\.me|line\.me)/\S+"
                             r"|(?:小红书|抖音|快手|视频号|ins|instagram|ig|snapchat|snap|tiktok|twitter|discord|kik|viber"
                             r"|signal)号?\s*(?:id)?\s*[:：]\s*@?[a-z0-9_.]{5,}"
                             r"|(?:小红书|抖音|快手|视频号)号\s*@?[a-z0-9_.]*\d[a-z0-9_.]{3,}"
                             r"|\+\d{1,3}[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{3,4}")
# Phrases that invite a private channel or money: they make contact details a sales pitch.
CONTACT_PHRASE_RE = re.compile(
    r"微信\s*(?:了解|咨询|详聊|私聊)|(?<!不)(?<!别)(?<!不用)(?<!不要)(?<!无需)(?<!不会)(?<!不涉及)加\s*(?:我|群|微信|qq)|"
    r"私聊我?|私信我?|联系(?:我|方式)?|扫码|(?:上分|下分|充值|预约|报名|咨询|拿货)\s*(?:找|私|加|联系)我|(?:纸?飞机|电报|(?<![a-z])(?:tg|telegram|whatsapp|line|ins))\s*上?\s*(?:聊|联系|找我|私|见)|进群|代购|刷单|兼职日结|日结|找(?:我|她|他)的?\s*微信|"
    r"(?<![a-z])(?:dm|message|text|contact|whatsapp|telegram|email)\s+(?:me|us|him|her)(?![a-z])",
    re.IGNORECASE)
# A member's own account on a public platform, named plainly ("我小红书号：tangtang_skin，记录空瓶的"): the community
# allows it once (TextSignals.plain_public_account). A messenger (Telegram, WhatsApp, Line…) is a private channel, and
# the words of a pitch (prizes, freebies, "follow for more", an order, a private message) make it an ad.
PUBLIC_PLATFORM_RE = re.compile(r"小红书|红薯|(?<![a-z])(?:xhs|rednote)(?![a-z])|微博|weibo|抖音|douyin|b站|bilibili|知乎|"
                                r"(?<![a-z])(?:ins|instagram|ig|insta|twitter|tiktok|youtube|threads)(?![a-z])|油管")
MESSENGER_RE = re.compile(r"(?<![a-z])(?:telegram|tg|whatsapp|skype|icq|line|kik|viber|signal|discord|snapchat|snap)(?![a-z])|"
                          r"纸?飞机|电报|wa\.me|t\.me|m\.me|line\.me|\+\d")
PITCH_RE = re.compile(r"看图|见图|看我|福利|抽奖|免费|送|领|优惠|折扣|打折|代购|团购|下单|购买|拍下|店|货|价|私|加我|互关|互粉|涨粉|合作|接广|推广|"
                      r"干货|更多|惊喜|入口|群|链接|关注(?:我|后|领|送|有|抽)|"
                      r"(?<![a-z])(?:giveaway|free|discount|promo|code|sale|deal|shop|store|order|buy|collab|dm|pm|"
                      r"inbox|follow (?:me|us|for)|link in|more tips|earn|\$)(?![a-z])")
# Where a spammer points instead of writing an id: their avatar, signature or profile, a group number, "reply 1".
POINTER_RE = re.compile(r"看我(?:头像|签名|主页|朋友圈)|(?:见|看|在)我?(?:的)?(?:签名|主页|头像)|私我|滴滴我?|找我(?:拿|领|要)|"
                        r"(?:主页|头像|签名|简介|朋友圈)(?:里|上)?(?:有|见)(?:惊喜|福利|好物|链接|联系方式|方式|渠道|彩蛋)|"
                        r"(?<![a-z])dd我|(?:有意|需要|想要|感兴趣)的?(?:者|姐妹|宝宝|朋友)?\s*(?:私|滴滴|dd|扣1|留言)|"
                        r"公众号[:：]?\s*\S{2,16}\s*(?:回复|后台)|(?:百度|谷歌|google)\s*搜(?:索)?\s*[「“\"【]?\S{2,}|"
                        r"扣\s*[\"“]?1|群号|进群|(?:小红书|抖音|快手|视频号|b站|公众号)号?\s*(?:搜索?)?\s*[「“\"『【][^」”\"』】\n]{2,20}[」”\"』】]|拉你进|(?:小红薯|抖音|快手|围脖|公众号)\s*搜|关注我|绿色?泡泡|留言秒回|"
                        r"check my (?:profile|page|bio|pics)|link in (?:my )?bio|dm me|message me|"
                        # the profile's signature or pinned post, "要的私", "评论区扣“斑”我私信发": a channel out of sight
                        r"(?:在|见|看|去)我?的?(?:个签|置顶)|主页(?:第[一二三1-3]条|置顶)|(?<![不想需])要的(?:姐妹|宝子|宝宝|朋友)?\s*私|"
                        r"(?:评论区?|留言区?)(?:里)?\s*(?:扣|打|回复?)\s*[“\"「『]|(?:一个个|挨个|逐个)私信?(?:发|你)", re.IGNORECASE)
# A messenger word with an id or number close after it, however it is spaced ("微信: qy 1386629", "qq 群 5532018").
LOOSE_ID_RE = re.compile(r"(?:微信|qq|企鹅|群号?|telegram|whatsapp|(?<![a-z])v\s*[:：])[^\n。，,!！?？]{0,12}?(?=[a-z0-9_]*\d)[a-z0-9_]{5,}"
                         # or an id in pinyin syllables and digits ("微信 he huo ren 2024"), or letters only after 搜
                         r"|微信\s*[:：]?\s*(?:[a-z]{1,6}\s){1,4}\d{2,}|微信\s*搜\s*[a-z][a-z0-9_]{4,}")


# Families of lure, each a pattern over the judged text: how a pitch for a private channel, a fee or a scheme is
# phrased whatever the product. One family is a sign, not a verdict (a member may ask "是高仿吗？"); the points add to
# the classifier's and to the behaviour rules (app.moderation.spam.score_text).
_OWN = r"(?:我的?|本人|my|our)"
# A private channel for goods: an offer of one's own stock, supply or price ...
_OFFER = (r"内部(?:价|渠道|员工价|折扣)|员工价|渠道价|拿货|货源|一手货|厂家直(?:供|销)|一件代发|出厂价|批发价|代理价|分销价|"
          r"(?:我|本人)(?:这里|这边|这儿)?有(?:货|渠道|现货|门路)|有(?:渠道|门路|货源)|比(?:旗舰店|官网|专柜)便宜|"
          r"(?:我们|我|本)(?:店|门店|工作室|美容院|诊所)(?:有|在做|推出|新推|上了)|"
          r"(?:got|get|have) (?:it|them|mine|a (?:supplier|plug|source))[^.\n]{0,25}(?:cheaper|wholesale|discount)|"
          r"(?:wholesale|factory|insider|supplier) price")
# ... and an invitation to ask for it out of sight.
_ASK_PRIVATELY = (r"私我|私聊|私信我|滴滴|(?<![a-z])dd|找我|联系我|扣\s*1|留言|加微信|加我|私下|问我要|"
                  r"(?<![a-z])(?:dm|message|text|whatsapp|contact|inbox) me|hit me up")
LURES: dict[str, re.Pattern] = {name: re.compile(pattern) for name, pattern in {
    # Contact details parked on the profile: "联系方式在我昵称里", "看我个人介绍", "details in my bio".
    "profile-pointer": rf"(?:联系方式|联系|微信|qq|号码|方式|链接|v|东西|内容|福利|资源|入口|惊喜|答案|方法|名字|店名|平台|网址)"
                       rf"[^。\n]{{0,6}}"
                       rf"(?:在|见){_OWN}(?:的)?(?:昵称|名字|头像|签名|个签|主页|简介|个人介绍|资料|置顶|动态)"
                       rf"|(?:联系方式|联系|微信|qq|号码|方式|链接|v)[^。\n]{{0,6}}在(?:昵称|名字|头像|签名|个签|主页|简介|个人介绍|资料)"
                       rf"|(?:看|点|戳|见|去){_OWN}?(?:昵称|头像|签名|个签|主页|简介|个人介绍|个人资料|资料|置顶)"
                       r"|(?:contact|details|info|number|handle|link|whatsapp|telegram)[^.\n]{0,20}"
                       r"\b(?:in|on) my (?:bio|profile|username|name|nickname|signature|avatar)"
                       r"|check (?:out )?my (?:bio|profile|username|nickname)"
                       # "整理好了放在我主页", "地址我放在主页了": the rest is where the filter does not read
                       rf"|放(?:在|到){_OWN}?(?:的)?(?:主页|置顶|签名|个签|简介|个人介绍|资料)",
    # A QR code to scan into a group or a prize.
    "qr-lure": r"扫(?:描|一扫)?\s*(?:下方|下面|图中|图片|图上|我的|这个)?的?\s*二维码|二维码[^。\n]{0,8}(?:进群|领取|加我|入群|添加)"
               r"|扫码\s*(?:进群|入群|领|加|添加|关注)|scan (?:the|my|this|our) qr|qr code (?:to|for) (?:join|claim|get)",
    # "Search for my shop" on a marketplace instead of a link.
    "shop-search": r"(?:淘宝|淘寶|tb|拼多多|pdd|闲鱼|天猫|抖音|小红书|京东)\s*(?:上|里|app)?\s*(?:直接)?搜(?:索)?\s*[「“\"【]?"
                   r"[^。，,\n]{0,14}?(?:店|小铺|铺子|旗舰)"
                   r"|search (?:for )?[\"“']?[\w ]{2,30}[\"”']? (?:on|in) (?:taobao|pinduoduo|shopee|etsy|amazon)",
    # Work that pays after a fee: the typing, assembly, survey and order-brushing scams.
    "upfront-fee-job": r"(?:兼职|刷单|打字|手工|组装|问卷|调查|点赞|做任务|接单|试玩|录入|抄写|日结)[^\n]{0,40}?"
                       r"(?:押金|会费|入会费|保证金|培训费|激活费|材料费|报名费|先交|先付|垫付|预付)"
                       r"|(?:押金|保证金|培训费|激活费|材料费|报名费)[^\n]{0,20}?(?:兼职|日结|接单|派单)"
                       r"|(?:registration|activation|starter|training|membership|deposit)\s+(?:fee|kit|deposit)[^.\n]{0,40}"
                       r"(?:job|task|earn|work|paid)|(?:job|task|work from home|earn)[^.\n]{0,60}"
                       r"(?:registration|activation|upfront|deposit|starter) (?:fee|kit|deposit|payment)",
    # Fake customer service: a meeting id, a shared screen, a refund.
    "screen-share": r"(?:会议号|会议id|会议码|腾讯会议|zoom|飞书会议)[^\n]{0,30}(?:共享屏幕|屏幕共享|开启共享)"
                    r"|(?:共享屏幕|屏幕共享)[^\n]{0,30}(?:退款|理赔|客服|注销|验证)|(?:退款|理赔|注销)[^\n]{0,30}(?:共享屏幕|屏幕共享)"
                    r"|(?:meeting id|zoom|anydesk|teamviewer)[^\n]{0,60}share (?:your |the )?screen"
                    r"|share (?:your |the )?screen[^\n]{0,40}(?:refund|verify|support|agent)",
    # An account on another platform named for members to look up ("小红书搜「…」", "🍠号「…」"): the rest is off the site.
    "platform-redirect": r"(?:小红书|抖音|快手|视频号|b站|公众号)号?\s*(?:上|里)?\s*(?:搜索?)?\s*[「“\"『【][^」”\"』】\n]{2,20}"
                         r"[」”\"』】][^\n]{0,12}?(?:第[一1]|置顶|主页|关注|点赞|抽奖|福利|领)"
                         r"|(?:find|follow|search) (?:me|us)? ?(?:on|at) (?:instagram|tiktok|youtube|xiaohongshu|ig)"
                         r"[^.\n]{0,10}@\w{3,}",
    # Gambling and lottery tips.
    "gambling-tip": r"(?:彩票|时时彩|六合彩|赛车|pk10|飞艇|百家乐|博彩|网赌|彩金|下注|跟单|足彩|球赛)[^\n]{0,20}?"
                    r"(?:稳赚|包赢|必中|包中|导师|带单|内部|计划|回血|上岸|跟单|胜率)"
                    r"|(?:guaranteed|sure|fixed) (?:win|wins|odds|matches|betting tips)|爆率|上分|下分"
                    # a stake grown on a game platform: "PG电子 100本金翻到一万二"
                    r"|(?:pg电子|电子游艺|棋牌|老虎机|捕鱼|真人视讯)|(?:(?:本金|充了?|投了?)\s*\d+|\d+\s*[块元]?本金)[^\n]{0,12}?"
                    r"(?:翻到|翻了|翻倍|回本|提现了?)",
    # Returns promised on coins.
    "crypto-returns": r"(?:usdt|泰达币|比特币|btc|虚拟币|数字货币|币圈|合约|挖矿|eth|新币|空投|presale)[^\n]{0,30}?"
                      r"(?:日收益|日赚|稳赚|翻倍|带单|收益率|回报率|日化|保本|躺赚|(?<!\d)\d+\s*倍|百倍|千倍|x\d{2,})"
                      r"|(?<!\d)\d+\s*倍币|百倍币"
                      r"|(?:usdt|crypto|bitcoin|btc|forex)[^\n]{0,40}?(?:daily (?:return|profit|income)|guaranteed"
                      r"|returns? of \d+%|\d+% (?:daily|weekly|a day|a week|per day))",
    # Cures promised by a family secret or a pill.
    "miracle-cure": r"祖传秘方|祖传[^\n]{0,6}(?:配方|偏方)|包治|根治[^\n]{0,10}(?:不复发|无效退款)|无效(?:全额)?退款|"
                    r"(?:躺着|不节食|不运动|不反弹)[^\n]{0,20}(?:瘦|掉秤)|月瘦\d+斤|一周瘦\d+|"
                    r"吃了就瘦|一粒(?:就)?瘦|阻断剂|燃脂(?:丸|片|胶囊)|(?:酵素|代餐)[^\n]{0,10}(?:瘦|掉秤|排毒)|"
                    r"(?:keto|diet|fat[- ]burn(?:ing|er)?|slimming) (?:pills?|gumm(?:y|ies)|drops|tea)|"
                    r"(?:lose|burn|melt|drop) (?:\d+ ?(?:lbs|kg|pounds)|belly fat|the fat)[^.\n]{0,30}"
                    r"(?:fast|without|in \d+|per day|a week)|"
                    r"(?:lose|melt) \d+ ?(?:lbs|kg|pounds) in \d+ (?:days|weeks)|miracle (?:cure|pill)|"
                    # spots or acne gone within days ("用了一周脱了层皮斑全没了")
                    r"(?:一周|七天|\d+天|半个月)[^\n。]{0,12}(?:斑|痘|痘印|黑头|皱纹)[^\n]{0,3}(?:全没|全掉|全消|没了|消失了|掉光)",
    # Copies sold as the real thing (a look recreated, "复刻…妆", is makeup).
    "counterfeit": r"高仿|复刻(?![^，。\n]{0,8}妆)|原单|尾单|a货|一比一|1:1(?:复刻|做工|品质)|专柜品质|超a|"
                   r"(?:同一?个?|一样的?)(?:工厂|厂家|厂子|代工厂)(?:出来的|生产的?|出品|做的)|同厂(?:同料|出品|生产|货)|同料同厂|代工厂(?:货|出的)|"
                   r"original[- ]grade|replica|mirror quality|aaa quality|1:1 (?:copy|copies|quality)",
    # Followers, likes and reviews for sale.
    "engagement-service": r"代运营|(?:刷|买)粉(?![底饼扑刷色质末霜条])|涨粉|刷赞|刷评|好评代写|代写好评|刷好评|代刷|粉丝[^\n]{0,6}(?:出售|低价|包月)|"
                          r"(?:buy|cheap|real|instant)[^\n]{0,15}(?:followers|likes|reviews|subscribers)|"
                          r"(?:followers|likes|reviews) (?:service|package)",
    # Invitation codes and accounts for sale.
    "account-sale": r"(?:出售|出|卖|低价|有偿|转让|收(?!到))[^\n]{0,6}(?:邀请码|账号|帐号|成品号|老号)|邀请码[^\n]{0,8}(?:出售|低价|有偿|转让|便宜|\d+元)|"
                    r"(?:selling|sell|buy|cheap)[^\n]{0,15}(?:accounts|invite codes?|invitation codes?)",
    # "Come to my live stream" for gifts or deals.
    "live-lure": r"(?:来|进|点)\s*我?的?直播间|直播间[^\n]{0,10}(?:福利|领取|抽奖|秒杀|红包)|"
                 r"(?:join|watch|come to) my (?:live|livestream|stream)",
    # Apps to test, tasks to do, money to earn.
    "paid-tasks": r"(?:试玩|测试|体验|下载)\s*app[^\n]{0,20}(?:赚|佣金|收益|奖励|元)|(?:app|游戏)试玩[^\n]{0,10}(?:赚|元|日结)|"
                  r"(?:test|testing|try)[^\n]{0,10}apps?[^\n]{0,30}(?:earn|\$\d|get paid|paid)",
    # Link-dropping comments: "visit my site", "check my blog".
    "site-plug": r"(?:visit|check out|check|see) (?:my|our) (?:site|website|blog|store|shop|page)",
    # Goods offered from a channel of one's own, with an invitation to ask privately: the soft ad of a bought account
    # or a "review" that ends in a sale ("内部渠道一瓶只要39，需要的滴滴", "found it way cheaper, message me").
    "private-sale": rf"(?:{_OFFER})[^\n]{{0,40}}?(?:{_ASK_PRIVATELY})|(?:{_ASK_PRIVATELY})[^\n]{{0,30}}?(?:{_OFFER})",
    # Fake officials and notices: an account, order or parcel in trouble, and a code, a link or a contact to fix it.
    "fake-notice": r"(?:验证码|动态码|校验码)[^\n]{0,12}?(?:回复|发给|发送|告诉|提供|报给|私信)"
                   r"|(?:回复|发给|发送|告诉|提供|报给|私信)[^\n]{0,12}?(?:验证码|动态码|校验码)"
                   r"|(?:账户|账号|帐号|会员|订单|包裹|快递|商品)[^\n]{0,16}?(?:异常|冻结|封禁|无法派送|地址不详|滞留|退回|"
                   r"质量问题|理赔|赔付|退款)[^\n]{0,30}?(?:点击|登录|添加|联系|回复|填写|更新|链接|客服[^\n]{0,4}(?:微信|qq|\d))"
                   r"|(?:your )?(?:account|parcel|package|delivery|order|card)[^.\n]{0,40}?(?:suspended|locked|on hold|"
                   r"unpaid|failed|could not be delivered|frozen|compromised)[^\n]{0,60}?(?:click|pay|visit|verify|"
                   r"confirm|update|reply|log ?in)|(?:send|share|reply with|tell) (?:me |us )?(?:the |your )?"
                   r"(?:verification|security|otp|one-time) code"
                   # a threat and a step to take: "重新绑定手机号，否则无法发帖", "verify within 24 hours or lose it"
                   r"|(?:重新|立即|尽快|及时)?(?:绑定|验证|认证|核验|激活|升级|解冻|登记)[^\n]{0,24}?(?:否则|逾期|过期|将被|会被|将无法|将会)"
                   r"|(?:否则|逾期)[^\n]{0,16}?(?:冻结|封号|清零|注销|无法(?:使用|登录|发帖))"
                   r"|(?:verify|confirm|update)[^.\n]{0,40}"
                   r"(?:within \d+|or (?:your|it|you)[^.\n]{0,20}(?:suspend|lose|clos|delet|expir))",
    # Personal details asked for in the open, for a prize or a gift.
    "details-for-prize": r"(?:留下?|留言|评论|回复|私信|发)(?:你的|下)?\s*(?:手机号|电话号码?|收货地址|身份证|银行卡|微信号)"
                         r"[^\n]{0,30}?(?:抽|送|领|赠|中奖|免费)|(?:抽|送|领|中奖)[^\n]{0,30}?(?:留下?|留言|评论|回复)"
                         r"(?:你的|下)?\s*(?:手机号|电话号码?|收货地址|身份证)"
                         r"|(?:leave|comment|dm|send)[^.\n]{0,15}(?:your )?(?:phone number|address|card details)[^\n]{0,40}"
                         r"(?:win|prize|free|giveaway|claim)",
    # A member posing as the community's staff: "【茶舍官方】", "我是客服", "official giveaway" (hosts are not judged).
    "staff-impostor": r"[【\[]\s*\S{0,6}?(?:官方|客服|售后|管理员|管理组|运营|系统|official|support|admin)(?!旗舰|店|网)"
                      r"[^】\]\n]{0,12}[】\]]"
                      r"|(?:^|\n)\s*\S{0,6}?(?:官方|管理员|管理组|系统|客服)(?!旗舰|店|网)\s*(?:抽奖|活动|通知|福利|公告|赠送|提醒|消息)"
                      r"\s*[:：!！]"
                      r"|我(?:是|们是)(?:茶舍)?(?:官方|平台)?的?(?:客服|管理员|运营|售后)"
                      r"|(?:i am|i'm|we are|we're|this is) (?:from )?(?:the )?(?:official|teahouse|verified)"
                      r" (?:teahouse )?(?:support|customer service|team|admin)",
    # A customer-service or official number posted by a member: the fake hotline of a refund scam.
    # (Members pass on the real hotline, "客服电话打了 400…": it is the call to act now that makes it a lure.)
    "fake-hotline": r"(?:官方|人工|售后|退款|理赔|客服)\s*(?:客服)?(?:电话|热线|专线|号码|微信|qq)[^\n]{0,16}?\d{7,}[^\n]{0,30}?"
                    r"(?:24小时|全天|随时|立即|马上|请拨打|速拨|直接打|都可以打)"
                    r"|(?:24小时|全天)(?:人工|在线)?(?:客服|服务)[^\n]{0,16}?\d{7,}"
                    r"|(?:customer (?:care|service|support)|support|helpline|hotline|refund)[^\n]{0,40}?"
                    r"(?:number|call|phone|line)[^\n]{0,20}?\+?\d{9,}[^\n]{0,30}(?:call now|24/7|anytime|today|immediately)"
                    r"|(?:call now|call us|call toll[- ]free)[^\n]{0,30}\+?\d{9,}",
    # Nudges to read a private message or ask for one, with nothing else said: "私你了", "check ur DMs", "有链接 私".
    "dm-bait": r"(?:^|\n)\s*\S{0,3}\s*(?:已私|私你了?|私信你了|已私信|回你私信了?|看私信)(?:\s*\S{0,6})?\s*(?:$|\n)|请查收|"
               r"(?:有|要)链接\s*私|(?:^|\s)私\s*$|"
               r"(?:check|see|read|open) (?:your|ur|my|the) (?:dms?|inbox|messages?|pms?|chat)|"
               r"(?:sent|dm'?e?d|messaged|pm'?e?d|texted|dropped) (?:you|u)(?: a (?:dm|message|pm))?[^.\n]{0,20}"
               r"(?:please check|check it|reply|important|urgent)",
    # Money for nothing: an unclaimed fortune, a flip, a blessing, a prize to claim, a gift card for the first comers.
    "money-bait": r"unclaimed (?:fund|inheritance|refund|tax refund|prize)|next of kin|foreign partner|"
                  r"(?:dying|terminally ill) (?:widow|woman|man)|donate \$?\d[\d,.]*\s?(?:m|million)|"
                  r"(?:cash ?app|paypal|venmo|zelle) (?:flip|blessing)|send \$?\d+[^.\n]{0,15}get \$?\d+|blessing \d+ people|"
                  r"(?:you(?:'ve| have)? (?:won|been (?:selected|chosen))|congrat(?:s|ulations)[^.\n]{0,30}(?:won|selected|chosen))"
                  r"[^\n]{0,80}(?:claim|confirm|activate|shipping|address|fee|click)|"
                  r"first \d+ (?:people|users|members)[^.\n]{0,20}(?:get|receive|win)|"
                  r"(?:恭喜|恭喜您)[^\n]{0,20}(?:中奖|被抽中|获得)[^\n]{0,40}(?:领取|添加|联系|点击|邮费|手续费)|"
                  r"(?:免费|0元)(?:领|送)[^\n]{0,20}(?:只需|仅需|付)[^\n]{0,6}(?:邮费|运费|手续费)",
    # Sugar dating and romance bait.
    "romance-bait": r"sugar (?:baby|daddy|mommy|mummy)|(?:single|lonely|hot) (?:women|girls|ladies|moms?) (?:in|near) your"
                    r"|looking for (?:an? )?(?:honest|serious|loyal) (?:woman|man|lady|partner)|包养|干爹|找(?:个)?(?:干爹|金主)|"
                    r"(?:widow(?:er)?|oil rig|deployed|army doctor|un peacekeep)[^\n]{0,80}(?:reach me|contact me|write me|"
                    r"whatsapp|telegram|hangouts|email me|kindly)",
    # Recruiting into a scheme: "girl bosses", "retire your husband", network marketing, a side hustle by message.
    "scheme-recruit": r"girl ?boss(?:es)?|retire your (?:husband|wife|parents)|network marketing|be your own boss|"
                      r"(?:building|grow(?:ing)?) (?:a|my) team[^.\n]{0,40}(?:message|dm|inbox|interested|join)|"
                      r"(?:side hustle|extra (?:money|income|cash)|passive income|work from home)[^\n]{0,60}"
                      r"(?:dm|inbox|message me|pm me|link in|bio|comment|interested\?)|"
                      r"(?:招(?:募)?|诚招)(?:代理|合伙人|城市合伙人|团队长|宝妈)|(?:副业|被动收入|零撸|躺赚)[^\n]{0,30}"
                      r"(?:私|滴滴|了解|带你|加我|进群|扫码|邀请码)",
    # Search listicles and link-dropping: "top 10 best … on our site", "also visit:", "read my article".
    "seo-plug": r"(?:top \d+|(?<!\d)\d+ best) [^.\n]{0,40}(?:on|at) (?:our|my) (?:site|website|blog)|also visit\s*:|"
                r"read (?:my|our) (?:article|post|guide|review)[^.\n]{0,30}(?:on|at|here|:)|\[url=|<a href|(?<!\w)(?:\w+ \| ){2,}\w+",
    # Quick loans for anyone, whatever their credit.
    "easy-loan": r"(?:贷款|借款|网贷|口子|额度|放款|下款|借钱|急用钱|周转)[^\n]{0,24}?(?:秒批|秒下|秒到|当天到账|当天下款|"
                 r"黑户|白户|不看征信|无视征信|无视黑白|包过|无抵押|不查征信|马上到账)"
                 r"|(?:黑户|白户|不看征信|无视征信|征信花)[^\n]{0,24}?(?:贷|借|下款|口子|额度)"
                 r"|(?:loan|cash advance|payday advance|payday loan)s?[^\n]{0,40}(?:bad credit|no credit check|"
                 r"instant approval|same day|no questions)",
    # Essays, theses and exams done for hire.
    "ghost-writing": r"代写(?:论文|作业|毕业|文章|报告)?|代考|论文(?:代发|包过|降重)|(?:降重|查重)[^\n]{0,10}(?:包过|低至|服务)"
                     r"|(?:write|writing|do) (?:your |my )?(?:essays?|assignments?|dissertations?|homework|thesis)"
                     r"[^.\n]{0,40}(?:plagiarism|deadline|per page|order|hire|\$)|essay writing service",
    # Ways round the firewall sold: ladders, "airports", nodes.
    "vpn-sale": r"(?:梯子|翻墙|科学上网|机场|vpn|节点|加速器)[^\n]{0,24}?(?:月付|年付|包月|元/月|\d+元|不限速|不掉线|稳定|"
                r"购买|订阅|试用)",
    # Openers of the romance-and-investment scam: a stranger's compliment, then a plan to make money together.
    "stranger-invest": r"(?:认识一下|交个朋友|做个朋友|加个好友|你好漂亮|有气质|很有缘)[^\n]{0,40}?"
                       r"(?:投资|理财|带你|赚钱|导师|平台|数字货币|炒币|外汇)"
                       r"|(?:投资|理财|带你赚|炒币|外汇)[^\n]{0,30}?(?:认识一下|交个朋友|做个朋友)"
                       r"|(?:lonely|single|widow|working abroad|on an oil rig|deployed)[^\n]{0,60}"
                       r"(?:chat privately|get to know|invest|telegram|whatsapp|hangouts)",
    # Adult services and content.
    "adult": r"成年人才能看|未成年(?:勿|别|不要)(?:进|看|点)|(?:尺度|内容)(?:有点|太|超|很)?大[^\n]{0,20}(?:私|看|发你|主页|签名)|"
             r"私房照|写真[^\n]{0,12}(?:私信|私我|发你|滴滴)|福利网盘|寂寞[^\n]{0,10}(?:聊|约|陪|找我)|"
             r"(?<![0-9])18\+\s*(?:内容|资源|福利|视频|链接|link|content|pics|videos)|"
             r"上门服务|同城(?:约|交友|速约|上门)|约炮|一夜情|裸聊|福利(?:视频|资源|姬)|成人(?:直播|视频|网站)|特殊服务|"
             r"学生妹|(?<![a-z])(?:hookup|sex ?chat|nudes|escort|onlyfans)(?![a-z])",
    # Casino, pharmacy and search-ranking spam in English.
    "casino-pharma-seo": r"free spins|welcome bonus|no deposit bonus|online casino|slot (?:machines?|games?) online|"
                         r"(?<![a-z])(?:1xbet|stake\.com|rakeback|sportsbook|fixed match(?:es)?)(?![a-z])|"
                         r"promo code[^.\n]{0,20}(?:bonus|bet|casino|spins)|"
                         r"(?<![a-z])(?:viagra|cialis|tramadol|xanax|oxycodone|adderall|phentermine|levitra)(?![a-z])|"
                         r"without (?:a )?prescription|(?<![a-z])(?:backlinks?|guest posts?|da \d{2}|seo services?)(?![a-z])",
    # Partnerships offered by message: "brand ambassador", "collab", "DM our page".
    "collab-dm": r"(?:brand ambassador|ambassador program|collab|collaborate|partnership|promote your)[^\n]{0,60}"
                 r"(?:dm|message|contact|email|reach out|whatsapp)|(?:dm|message) (?:us|our|me)[^\n]{0,40}"
                 r"(?:collab|ambassador|promote|partnership)",
    # The hard sell: an order to place and too little time or stock ("拍三支包邮，数量不多", "last 50 sets").
    "hard-sell": r"(?:拍下|下单|拍[一二两三四五六\d]+[支件套瓶盒]|包邮)[^\n]{0,30}?(?:数量不多|数量有限|最后\d+[套件支瓶单盒]|限量|手慢无|"
                 r"仅剩|先到先得|售完即止)|(?:数量不多|数量有限|最后\d+[套件支瓶单盒]|限量\d+|手慢无|仅剩\d+)[^\n]{0,30}?"
                 r"(?:拍下|下单|包邮)|(?:order now|buy now)[^.\n]{0,30}(?:only \d+ left|limited stock|while stocks last)",
    # A discount for a code word or the community's name: the shop that paid for the post ("报暗号首次体验68元",
    # "拍下备注茶馆", "use code GLOW for 25% off").
    "shop-code": r"报暗号|暗号\s*[:：“\"「]|(?:拍下|下单|付款)[^\n]{0,4}备注|(?:报|备注)(?:我的?)?(?:名字|口令)[^\n]{0,10}(?:优惠|折|减|送|免费)"
                 r"|(?:use|used|enter|with) (?:my |the )?(?:code|coupon) [a-z0-9]+[^.\n]{0,20}(?:% off|off|discount)",
    # Income from home promised in figures.
    "easy-income": r"(?:earn|make|making|made)[^.\n]{0,20}\$\s?\d[\d,]*(?:\+)?\s*(?:a|per|/|every)\s*(?:day|week|hour|month)"
                   r"|(?:日入|日赚|月入|月赚|一天赚|每天赚|轻松赚)\s*(?:\d|过万|几百|上千|百)",
}.items()}


# A member warning others or reporting an ad names the lures it saw ("有人私信让我加微信领红包，千万别信", "reported the
# 'earn $500 a day' spam"). A pitch that says it is no scam ("不是骗子", "绝对不是骗局") is not a warning.
WARNING_RE = re.compile(r"举报|防骗|骗子|骗局|诈骗|别信|别碰|别去|不要去|被骗|钓鱼|割韭菜|智商税|千万别(?:信|给|点|加|上当|转|扫)|(?:大家|都|可)别(?:扫|加|转|给|买|信|点|下载)|别扫|别转账|不要信|别上当|不要上当|小心|杀猪盘|避雷|冒充|广告帖|垃圾帖|"
                        r"是官方的吗|是真的吗|是正常的吗|(?<![a-z])(?:spam|scams?|scammers?|scammed|reported|reporting|beware|be careful|"
                        r"heads up|phishing|psa|i keep seeing|i saw an? (?:ad|post|comment)|(?:saw|seen) someone post|known scams?|"
                        r"there (?:are|is) (?:a bunch of|"
                        r"lots of|so many))(?![a-z])|别点|不要点|(?:我|刚|又|也|就|最近|今天|昨天)收到(?:了)?(?:[一两二三四五六七八九十几\d]+|好几)?(?:条|个|封)?的?(?:短信|私信|电话|邮件|评论)|"
                        r"有人(?:私信|私聊|在评论|冒充)|看到有人|所谓的?|伪装成|留个心眼|违反|违规|(?:一条|条)私信说|"
                        r"收到的?(?:广告|诈骗|骗子)(?:私信|短信|电话|邮件)|(?:已经?|我|直接|果断|马上|顺手)(?:拉黑|屏蔽)了?")
_ON_SITE_IS_FINE = {"private-sale", "details-for-prize"}
# Talk kept on the site ("站内送给你", "I'll message you in-app"): a private message here is no private channel.
# A board of the site named for the private message ("在“闲置交换”版块私信我") keeps it here as well.
ON_SITE_RE = re.compile(r"站内|社区内|私信功能|(?:版块|板块|分区)[^\n，。]{0,4}私信|"
                        r"(?<![a-z])(?:in-app|on here|on the forum|site messages?)(?![a-z])")
# A contact word or a private channel denied ("不加微信", "算不上代购", "不用私我了", "别私信我", "no need to DM me"): no
# invitation, and nothing pointed at.
_DENIED = re.compile(r"(?:不是|算不上|不算|不做|不搞|不接|不用|不要|不加|别加|不需要|无需|不必|拒绝|从不|(?<![特分区识])别|勿)"
                     r"\s*(?:再|给我|跟我)?\s*"
                     r"(?:代购|刷单|私聊我?|私信?我?|滴滴我?|dd我?|找我|联系我|加?\s*(?:我|群|微信|qq))"
                     r"|(?<![a-z])(?:no need to|don'?t|do not|never|pls don'?t|please don'?t|no)\s+(?:dm|pm|message|text|"
                     r"contact|inbox)\s+me(?![a-z])|(?<![a-z])no (?:dms?|pms?)(?![a-z])")
_NOT_A_WARNING = re.compile(r"(?:不是|绝不是|绝对不是|没有|不怕|防止|远离)(?:骗子|骗局|诈骗|套路)|被骗过?的|(?<![a-z])(?:not a|no) scam")


# --- pointers with nothing else said ---------------------------------------------------------------------------------
# A post whose whole content is a way to somewhere else: a private message ("看私", "DM me", "👉💬👈") or the author's
# own name, profile or posts ("名字就是答案", "第一条动态有写", "check my bio"). The text shows no goods and no number,
# so the rules for contact details see nothing; what gives it away is that nothing is said on the site at all.
# Emoji for a private message (read from the raw text: the judged text drops emoji) and emoji that point.
_MESSAGE_EMOJI = re.compile("[\U0001f4ac\U0001f4e9\U0001f48c\u2709\U0001f4e8\U0001f4e7\U0001f4e5\U0001f4e4\U0001f4f2"
                            "\U0001f5e8\U0001f4ad\U0001f4de\u260e\U0001f4f1\U0001f48b]")
_POINTING_EMOJI = re.compile("[\U0001f449\U0001f448\U0001f446\U0001f447\u261d\u2b06\u2b07\u27a1\u2b05\U0001f51d]")
# A private channel named: a message, a chat out of sight.
_PRIVATE_CHANNEL = (r"私信?|私聊|私我|密我|悄悄话|小窗|滴滴|(?<![a-z])(?:dd|dms?|pms?|inbox|direct message|private message)"
                    r"(?![a-z])")
# The author's own surfaces on the site: their name, avatar, profile, bio, signature, posts.
_OWN_SURFACE = (r"(?:我的?|本人的?)(?:帖子|相册|资料|空间|id|name)"
                r"|(?:我的?|本人的?)?(?:名字|昵称|网名|用户名|头像|主页|动态|简介|签名|个签|置顶|第[一二三1-3](?:条|个|篇)(?:动态|帖子?)?)"
                r"|(?<![a-z])(?:my )?(?:bio|profile|username|user name|display name|avatar|pinned post|first post)(?![a-z])"
                r"|(?<![a-z])my name(?![a-z])")
# ... and what the post says of it: the answer is there, it is written there.
_SURFACE_SAYS = r"就是|即是|便是|即|有写|写着|写了|有|见|(?<![a-z])(?:is the answer|says it|has it|has the)(?![a-z])"
SELF_POINTER_RE = re.compile(rf"(?:{_OWN_SURFACE})(?:里面?|上面?|中)?\s*(?:{_SURFACE_SAYS})"
                             rf"|(?:看|点|戳|见|去|翻|在|藏在|check|see|look at|in)\s*(?:{_OWN_SURFACE})")
PRIVATE_POINTER_RE = re.compile(rf"(?:看|查收|回|去|来|找|已|请)?(?:{_PRIVATE_CHANNEL})(?:你|您|了|me|u|you)?")
# A picture pointed at, or stood for by a placeholder ("详情看图", "【图】", "[image]"): the message is in an image the
# filter cannot read (photos are attached after the words are judged).
IMAGE_POINTER_RE = re.compile(r"(?:详情|内容|价格|联系方式)?(?:看|见|如|戳|点)图|[\[【(（<]\s*(?:图片?|照片|image|img|pic|photo)\s*"
                              r"[\]】)）>]|(?<![a-z])(?:see|check|look at) (?:the |my )?(?:pic|picture|image|photo)s?(?![a-z])")
# What a pointer-only post may say besides: fillers, greetings, "answer", "here".
_FILLER = re.compile(r"[\W_\d]+|答案|谢谢|哈+|嗯+|在这|这里|这边|姐妹们?|宝子们?|宝宝们?|亲+|哦|哟|呀|啦|了|的|吧|都|可以|"
                     r"(?<![a-z])(?:here|it|is|the|all|pls|please|thx|thanks|lol|hi|hey|ok|in|on|for|info|details)(?![a-z])")
POINTER_ONLY_MAX = 4  # characters (a Latin word counts as two) left once the pointer and fillers are taken out


def message_emoji(raw: str) -> bool:
    """Whether the raw text holds an emoji for a private message (💬 📩 💌 ✉)."""
    return bool(_MESSAGE_EMOJI.search(raw))


def _rest_of(text: str) -> int:
    rest = _FILLER.sub(" ", text)
    return sum(1 for c in rest if "\u3400" <= c <= "\u9fff") + 2 * len(re.findall(r"[a-z]+", rest))


# What a member quotes rather than says: quoted lines ("> ...") and text in quotation marks. Members who report an
# ad quote it ("举报：那条“加V：lm88520”是广告"); an established member's quotes are not read as their own words.
QUOTED_RE = re.compile(r"^\s*>.*$|“[^”\n]{0,300}”|\"[^\"\n]{0,300}\"|「[^」\n]{0,300}」|『[^』\n]{0,300}』", re.MULTILINE)


def without_quotes(text: str) -> str:
    return QUOTED_RE.sub(" ", text)


# The member a reply addresses ("@小鹿 …", at the start or after a space): a name, not the writer's words to judge.
# A number standing right after it belongs to the name ("@Lily 1990", "@Moderator 1369"): read as the writer's, it
# looked like a QQ-style number to the classifier.
ADDRESSED_RE = re.compile(r"(?:^|(?<=\s))@[^\s@,，。:：!！?？、]{1,20}(?:[ \u3000]\d{1,8}(?=[\s,，。:：!！?？、]|$))?")


def without_addressed(text: str) -> str:
    return ADDRESSED_RE.sub(" ", text)


@dataclass(frozen=True)
class TextSignals:
    """The judged text and what the rules and the classifier read from it."""

    text: str
    disguised: bool = False  # the raw text wrote a number in dressed-up digits (normalise.disguised_number)
    spelled_address: bool = False  # the raw text spelled out a web address (normalise.disguised_address)
    message_emoji: bool = False  # the raw text holds an emoji for a private message (message_emoji)

    @classmethod
    def of(cls, raw: str) -> TextSignals:
        return cls(judging_text(raw), disguised_number(raw), disguised_address(raw), message_emoji(raw))

    @cached_property
    def links(self) -> list[str]:
        found = [m.group() for m in URL_RE.finditer(self.text)]
        rest = URL_RE.sub(" ", self.text)
        found += [m.group() for m in SHORT_LINK_RE.finditer(rest)]
        rest = SHORT_LINK_RE.sub(" ", rest)
        return found + [m.group() for m in BARE_DOMAIN_RE.finditer(rest)]

    @cached_property
    def domains(self) -> list[str]:
        hosts = []
        for link in self.links:
            match = _HOST_RE.match(link.lower())
            if match:
                host = match.group(1).rstrip(".")
                hosts.append(host.removeprefix("www."))
        return hosts

    @cached_property
    def contact_ids(self) -> list[str]:
        """Kinds of contact detail in the text: wechat-id, qq-id, phone, email, handle."""
        kinds = []
        for name, found in (("wechat-id", self._wechat_id), ("qq-id", QQ_NUMBER_RE.search),
                            ("phone", has_phone), ("email", EMAIL_RE.search), ("handle", OTHER_HANDLE_RE.search)):
            if found(self.text):
                kinds.append(name)
        if not kinds and LOOSE_ID_RE.search(self.text):
            kinds.append("spaced-id")
        if self.disguised and not kinds:
            kinds.append("disguised-number")
        return kinds

    @staticmethod
    def _wechat_id(text: str) -> bool:
        """A WeChat id after the word, not English words after it ("paid with 微信 pay at the counter")."""
        return any(not all(is_english_word(part) for part in match.group("id").split())
                   for match in WECHAT_ID_RE.finditer(text))

    @cached_property
    def offered(self) -> str:
        """The text without the contact words and private channels it denies ("不用私我了", "no need to DM me")."""
        return _DENIED.sub(" ", self.text)

    @cached_property
    def pointer(self) -> bool:
        """The text points to a private channel without writing it out (看我头像, 私我, 群号, DM me, 私你了)."""
        return bool(POINTER_RE.search(self.offered)) or bool({"profile-pointer", "dm-bait"} & set(self.lures))

    @cached_property
    def lures(self) -> list[str]:
        """The families of lure the text uses (LURES); an offer or a prize handled on the site is none, and neither
        is a private channel the text denies."""
        on_site = bool(ON_SITE_RE.search(self.text)) and not self.contact_ids
        return [name for name, pattern in LURES.items()
                if not (on_site and name in _ON_SITE_IS_FINE) and pattern.search(self.offered)]

    @cached_property
    def warning(self) -> bool:
        """The text warns about spam or reports it (WARNING_RE), so the lures it names are someone else's."""
        return bool(WARNING_RE.search(_NOT_A_WARNING.sub(" ", self.text)))

    @cached_property
    def contact_phrase(self) -> bool:
        """A phrase inviting contact ("加我", "私聊", "DM me"), unless the talk is to stay on the site."""
        return (bool(CONTACT_PHRASE_RE.search(self.offered))
                and not (ON_SITE_RE.search(self.text) and not self.contact_ids))

    @cached_property
    def pointer_only(self) -> bool:
        """The post only points elsewhere: to a private message, the author's own name, profile or posts (in words
        or in emoji, "👉💬👈") or a picture ("看图", "【图】"), with next to nothing said besides (POINTER_ONLY_MAX).
        Talk kept on the site, a warning, a link or a contact detail is something else."""
        if self.warning or self.links or self.contact_ids or ON_SITE_RE.search(self.text):
            return False
        pointed = self.pointer or self.message_emoji
        rest = self.offered
        for pattern in (SELF_POINTER_RE, PRIVATE_POINTER_RE, POINTER_RE):
            rest, found = pattern.subn(" ", rest)
            pointed = pointed or bool(found)
        rest, pictures = IMAGE_POINTER_RE.subn(" ", rest)
        if not pointed and pictures:  # a picture and nothing else at all ("[图] 今天的空瓶" says what it shows)
            return _rest_of(rest) == 0
        return pointed and _rest_of(rest) <= POINTER_ONLY_MAX

    @cached_property
    def plain_public_account(self) -> bool:
        """The only contact detail is the member's account on a public platform (小红书, 微博, Instagram…), named with
        no messenger, no link, no contact phrase or pointer, no lure and no pitch (PITCH_RE): the community allows a
        member to mention it, so it is no contact detail to count, and the classifier's word on it needs another sign."""
        return (self.contact_ids == ["handle"] and bool(PUBLIC_PLATFORM_RE.search(self.text))
                and not MESSENGER_RE.search(self.text) and not self.links and not self.contact_phrase
                and not self.pointer and not self.lures and not PITCH_RE.search(self.text))

    @cached_property
    def kept_on_site(self) -> bool:
        """The text keeps the talk on the site ("站内私信我就行，不加微信") and gives no contact detail or link. (A warning
        is not enough: a pitch may swear it is no scam, "骗子全家没".)"""
        return bool(ON_SITE_RE.search(self.text)) and not self.contact_ids and not self.links


def registered_domain(host: str) -> str:
    """The last two labels of a host (three under a two-letter country's com/net/org: shop.example.com.cn)."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in {"com", "net", "org", "gov", "edu", "co"} and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_allowed(host: str, allowed: list[str]) -> bool:
    """Whether ``host`` is one of the allowed domains or under one of them."""
    host = host.lower().strip(".")
    return any(host == domain or host.endswith("." + domain) for domain in allowed if domain)


def is_shortener(host: str) -> bool:
    return registered_domain(host) in SHORTENERS or host in SHORTENERS
