"""Hostile markdown and HTML render with nothing active: tags, attributes and URLs are checked by parsing."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.security.sanitize import ALLOWED_TAGS, LINK_REL
from app.text.markup import TextError, check_text, clean_line, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=/uploads/a.png onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=evil.swf></object>",
    "<embed src=evil.swf>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<base href=https://evil.example/>",
    "<form action=https://evil.example><input name=a></form>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<a href=javascript:alert(1)>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![i](https://evil.example/track.png)",
    "![i](//evil.example/track.png)",
    "![i](/uploads/../admin/x.png)",
    "![i](javascript:alert(1))",
    "![i](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<a href='https://ok.example' target=_blank>x</a>",
    "<!-- <script>alert(1)</script> -->",
    "<details open ontoggle=alert(1)>x</details>",
    "<video><source onerror=alert(1)></video>",
    "<body onload=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<x onmouseover=alert(1)>hover</x>",
    "> <script>alert(1)</script>\n> quoted",
    "`<script>alert(1)</script>` and ```\n<script>alert(1)</script>\n```",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "\u202e<script>alert(1)</script>",
    "<img src=\"/uploads/ok.png\" srcset=\"https://evil.example/x.png 2x\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<textarea><script>alert(1)</script></textarea>",
]
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcset", "target", "formaction"):
                self.problems.append(f"attribute {name}")
            if name == "href" and not (value.startswith(SAFE_SCHEMES) or value.startswith("#") or (
                    value.startswith("/") and not value.startswith("//"))):
                self.problems.append(f"href {value}")
            if name == "src" and not (value.startswith("/uploads/") and ".." not in value):
                self.problems.append(f"src {value}")
        if tag == "a" and "href" in attributes and attributes.get("rel") != LINK_REL:
            self.problems.append("link without rel")


def problems_in(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.problems


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_inert(source):
    html = render_markdown(source)
    assert problems_in(html) == []
    assert "<script" not in html.lower() and 'href="javascript' not in html.lower()


def test_safe_markdown_keeps_its_formatting():
    html = render_markdown("**bold** *it* ~~gone~~\n\n> quote\n\n- a\n- b\n\n`code`\n\n[site](https://ok.example)")
    for fragment in ("<strong>bold</strong>", "<em>it</em>", "<blockquote>", "<li>a</li>", "<code>code</code>",
                     f'<a href="https://ok.example" rel="{LINK_REL}">site</a>'):
        assert fragment in html


def test_own_upload_images_are_kept():
    assert '<img src="/uploads/abc.png" alt="cat">' in render_markdown("![cat](/uploads/abc.png)")


def test_bare_links_become_nofollow_links():
    assert f'rel="{LINK_REL}"' in render_markdown("see https://www.example.com/page")


PIECES = list("<>\"'=/ :;&#()[]!*`\\\nabcjsvrtipx-1") + [
    "<script>", "javascript:", "onerror=", "<img ", "<a href=", "<svg", "](", "![", "style=", "/uploads/", "//"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_random_fragments_never_produce_active_content(source):
    assert problems_in(render_markdown(source)) == []


def test_nul_bytes_and_lone_surrogates_are_refused_with_a_message():
    with pytest.raises(TextError, match="NUL"):
        check_text("a\x00b")
    with pytest.raises(TextError, match="invalid character"):
        check_text("a\ud800b")


def test_titles_lose_bidi_overrides_and_zero_width_characters():
    assert clean_line("evil\u202etxt.exe\u200b  name\u2066") == "eviltxt.exe name"
