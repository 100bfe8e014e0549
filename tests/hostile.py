"""A corpus of hostile raw files, written by the tests (never a real site's text).

Each entry is (file name, bytes): markup and script in every place a scraper
could leave it, characters that reorder or hide text, extreme sizes and
shapes, other scripts, and awkward file names.
"""

PAYLOADS = {
    "script": "<script>alert('script')</script>",
    "style": "<style>body{display:none}</style>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "link": '<a href="javascript:alert(2)">click</a>',
    "img": '<img src=x onerror="alert(3)">',
    "entities": "&lt;script&gt;alert(4)&lt;/script&gt; &amp;amp; &#60;b&#62;",
    "cdata": "]]> <![CDATA[ x ]]> ]]>",
    "svg": '<svg onload="alert(5)"><script>alert(6)</script></svg>',
}


def hostile_files() -> dict[str, bytes]:
    files = {}
    for name, payload in PAYLOADS.items():
        text = (
            f"Headline with {payload}\n\n"
            f"Washington DC: A lede with {payload} inside it.\n\n"
            f"{payload}\n\nA last paragraph {payload}.\n"
        )
        files[f"2021-08-09-{name}.txt"] = text.encode()
    files["2021-08-09-bidi.txt"] = (
        "Bidi \u202eevil\u202c override and zero\u200bwidth\u2066isolate\u2069\n\n"
        "Text with \u202dforced\u202c direction, \u200b\u200b\ufeff hidden marks.\n"
    ).encode()
    files["2021-08-09-long-line.txt"] = b"A one-megabyte line\n\n" + b"word " * 200_000 + b"\n"
    files["2021-08-09-huge-headline.txt"] = b"x" * 1_000_000
    files["2021-08-09-tiny-paragraphs.txt"] = b"Many tiny paragraphs\n\n" + b"p.\n\n" * 100_000
    files["2021-08-09-cjk.txt"] = "北京举行新闻发布会\n\n北京：今天举行了新闻发布会。\n".encode()
    files["2021-08-09-arabic.txt"] = (
        "مؤتمر صحفي في القاهرة\n\nالقاهرة: عقد اليوم مؤتمر صحفي.\n".encode()
    )
    files["2021-08-09 name with spaces.txt"] = b"Spaces in the file name\n\nText.\n"
    files["2021-08-09-ünïcödé-名前.txt"] = b"Unicode file name\n\nText.\n"
    files[".2021-08-09-leading-dot.txt"] = b"A file name with a leading dot\n\nText.\n"
    files["2021-08-09-control.txt"] = (
        b"Control\x01\x02 characters\x1b[31m\n\nBell\x07 and\x0c feed.\n"
    )
    return files
