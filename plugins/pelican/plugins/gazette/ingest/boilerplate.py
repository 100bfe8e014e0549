"""Site junk in scraped or wired articles: whole lines, and phrases run on to the text.

A pipeline of small steps in the spirit of Planet Venus's filters: each
pattern names one kind of junk. Three kinds of match, from safest to boldest:

- ``DEFAULT_JUNK_PATTERNS`` match a whole line (case-insensitive), anywhere in
  the file: a line that is only "Advertisement" or "Also read: …" is never story;
- ``TRAILING_PHRASES`` match a phrase that runs to the end of a paragraph, for
  text whose line breaks were lost ("… in 1997.Follow @htshowbiz for more");
- ``INLINE_PHRASES`` match a whole recognised phrase anywhere in a paragraph:
  "(HT Photo)", "pic.twitter.com/…", an embedded post's signature.

Some junk is metadata: wire credits ("(Reporting by …; Editing by …)") go to
``credits`` and correction footnotes ("This article was amended on …") to
``corrections``. Everything taken off is returned, as written, so that it can
be listed in ``RawStory.removed``; a sentence that merely contains "read more"
is never touched.
"""

import re

# Defaults for the GAZETTE_JUNK_PATTERNS setting: regular expressions that
# must match a whole line.
DEFAULT_JUNK_PATTERNS = (
    r"next story",
    r"previous story",
    r"share (it|this( story| article)?)",
    r"share on \w+",
    r"reuter",
    r"read more(\s*[:»›>|-].{0,150})?",
    r"(also|must) read\s*[:»›>|-]?.{0,150}",
    r"(related|see also|more on this( story)?)\s*[:»›>|-].{0,150}",
    r"(follow|like) us on \w+( and \w+)*",
    r"follow @\w+( on \w+)?( for (more|the latest).{0,40})?",
    r"subscribe( now| today| here| to (our|the) newsletter)?",
    r"(sign up|subscribe|register) (for|to) (our|the) .{0,60}newsletters?.{0,60}",
    r"(download|get) (the|our) .{0,40}\bapp\b.{0,80}",
    r"click here\b.{0,80}",
    r"advertisement",
    r"ad(vertising)? feedback",
    r"(related|top|more) (stories|news|articles)",
    r"comments? \(\d+\)",
    r"print( this)?( story| article)?",
    r"email( this)?( story| article)?",
    r"(featured )?image (via|credit|courtesy)\b.{0,150}",
    r"(photo|photograph|picture|image)s?( credit)?\s*:.{0,150}",
    r"\((ht|ap|afp|reuters|pti|ians|ani|getty|file|express|representational) ?"
    r"(photo|image|pic|picture)s?\)",
    r"\((ians|pti|ani|afp|ap|reuters)\)",
    r"pic\.twitter\.com/\w+",
    r"ends",
    r"\(with (agency|pti|ians|ani|reuters|afp|ap|wire) inputs?\)",
    r"\(with inputs from [^()]{1,100}\)",
    r"(copyright\s*(©|\(c\))?|\(c\))\s*\d{4}\b.{0,120}",
    r"©.{1,120}",
    r"all rights reserved.{0,80}",
    r"\(eds?\s*:.{0,200}\)",
    r"watch( video)?\s*[:|].{0,150}",
    r"a post shared by .{1,100}",
)


def compile_patterns(patterns) -> re.Pattern:
    """One regex that matches a whole junk line."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"\s*(?:{joined})\s*[.:!]?\s*", re.IGNORECASE)


# A wire sign-off run on to the last line of text: "... 55.8 (33.7). REUTER".
_SIGNOFF = re.compile(r"(?<=[.!?)\"'”])\s+(reuters?)\s*$", re.IGNORECASE)

# Where run-on junk may start: after a sentence end, glued or spaced ("1997.Follow").
_AFTER_END = r"(?:(?<=[.!?\"'”’)\]?])|(?<=[a-z0-9]{3}))\s*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

_READ_CAPS = r"ALSO READ|READ ALSO|MUST READ|READ MORE|READ"
_READ_TITLE = r"Also [Rr]ead|Read [Mm]ore|Read|Related|Must [Rr]ead|See [Aa]lso"
# The words of a link after such a marker, up to the end: a headline or two, no sentence
# end followed by more text (that would be the story going on) and no other marker.
_LINK_TEXT = r"(?:(?!ALSO READ|READ|Also [Rr]ead|Read\s*[:|])(?![.!]\s+[A-Z])[^\n]){0,300}"
# (kind, pattern) of phrases that run to the end of a paragraph; kind "junk", "credits"
# or "corrections". Tried again and again at the end, so stacked junk all comes off.
TRAILING_PHRASES = (
    ("junk", rf"{_AFTER_END}Follow @\w{{1,30}}( on \w+)? for (more|the latest)[\w ]{{0,30}}\.?"),
    # "… the faculty.ALSO READ | Another headline": the last of them, one at a time.
    ("junk", rf"{_AFTER_END}(?:{_READ_CAPS})(?![a-z]){_LINK_TEXT}"),
    ("junk", rf"{_AFTER_END}(?:{_READ_TITLE}|WATCH|Watch|VIDEO|Video)\s*[:|]{_LINK_TEXT}"),
    ("junk", rf"{_AFTER_END}(?:Photo|Image|Picture) [Cc]redits?\s*:[^\n.]{{1,80}}"),
    (
        "junk",
        rf"{_AFTER_END}\([Ww]ith (?:agency |PTI |IANS |wire )?inputs?"
        r"(?: from [^()]{1,100})?\)",
    ),
    ("junk", rf"{_AFTER_END}ENDS\b\.?"),
    # a plug that ends with a link: "Follow … at The X Effect www.example.com/x"
    (
        "junk",
        rf"{_AFTER_END}(?:Follow|See|Read|Watch|Find|Click|Get|Sign up|Subscribe)\b"
        r"[^.!?\n]{0,200}\s(?:www\.|https?://)\S+",
    ),
    (
        "junk",
        rf"{_AFTER_END}\((?:Click (?:on|here)|Graphics?:|Video:|For a (?:related|graphic))"
        r"[^()]{0,200}\)",
    ),
    # "(This story has been refiled to correct …)", "(Refiles to add …)" at the end
    (
        "corrections",
        rf"{_AFTER_END}\((?=[^()]{{0,300}}\b(?i:correct|refile|clarif|fix)\w*)"
        r"(?:This|Refiles?|Corrects?|Updates?)\b[^()]{3,300}\)",
    ),
    ("junk", rf"{_AFTER_END}(?:Advertisement|ADVERTISEMENT)"),
    ("junk", rf"{_AFTER_END}(?:Click|CLICK) (?:here|HERE)\b[^.!?]{{0,120}}[.!]?"),
    ("junk", rf"{_AFTER_END}Featured image (?:via|credit:?) [^.]{{1,120}}\.?"),
    ("junk", rf"{_AFTER_END}(?:Copyright|©) ?(?:\d{{4}}|[A-Z])[^\n]{{0,120}}"),
    (
        "junk",
        rf"{_AFTER_END}(?:Sign up|Subscribe) (?:for|to) [^.]{{0,80}}newsletter[^.]{{0,60}}\.?",
    ),
    (
        "credits",
        rf"{_AFTER_END}\((?:Reporting|Additional reporting|Writing|Compiled) by [^()]{{1,300}}\)",
    ),
    (
        "corrections",
        rf"{_AFTER_END}(?:•\s*)?This (?:article|story|report) was "
        r"(?:amended|corrected|updated) on .{0,600}",
    ),
)
# Where a glued link's text ends and the story goes on: "…a different storyHe said",
# "…case: CBIThe driver" (a lower-case letter, digit or acronym, then a capitalised word).
_GLUE = r"(?:[a-z0-9)?]|(?<=[A-Z])[A-Z])(?=[A-Z][a-z])"
# "? Jane Doe (@jane) July 29, 2017": an embedded tweet's signature (the dash lost as "?").
_TWEET_SIGNATURE = (
    r"[?—–-]\s?[^()\n?]{1,60}\(@\w{1,30}\)\s+(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December) \d{1,2}, \d{4}"
)
# Whole recognised phrases anywhere in a paragraph.
INLINE_PHRASES = (
    # "(HT Photo)", "(AP Photo/Jane Doe)", "(Representational image)"
    r"\((?:HT|AP|AFP|PTI|IANS|ANI|Reuters|Getty|File|Representational|Express) ?"
    r"(?:[Pp]hoto|[Ii]mage|[Pp]ic)s?(?:/[^()]{1,60})?\)",
    # an embedded tweet: "pic.twitter.com/AbC12? Jane Doe (@jane) July 29, 2017"
    rf"\s?pic\.twitter\.com/\w+(?:{_TWEET_SIGNATURE})?",
    rf"(?<=[\s.?!]){_TWEET_SIGNATURE}",
    # an embedded Instagram post: "A post shared by Jane Doe (@jane) on Jul 29, 2017 at 12:15pm PDT"
    rf"A post shared by [^\n]{{1,80}}?\(@[\w.]{{1,40}}\) on {_MONTH} \d{{1,2}}, \d{{4}}"
    r" at \d{1,2}:\d\d ?[ap]m [A-Z]{2,4}",
    # a related link glued into the text where line breaks were lost:
    # "… the team.READ | Another headline hereThe story goes on": up to the glue
    rf"(?<=[.!?\"'”’)\]?])\s*(?:{_READ_CAPS}|WATCH|Also [Rr]ead|Read [Mm]ore|Read|Watch)"
    r"\s*[:|?]+\s*"
    rf"[^\n.]{{5,200}}?{_GLUE}",
    # a picture credit: "(Photo: IANS)", "Photo Credit: Jane DoeThe story goes on"
    r"\((?:Photo|Image|Picture|Pic)s?(?: [Cc]redits?)?\s*:[^()]{1,60}\)",
    rf"(?<=[.!?\"'”’)\]?])\s*(?:Photo|Image|Picture) [Cc]redits?\s*:\s*[^\n.]{{1,60}}?{_GLUE}",
    # a caption credit run into the text: "Photograph: Jane Doe/Getty Images"
    r"Photograph: [^.\n/]{1,60}/(?:Getty Images|AP|AFP|Reuters|EPA|PA|Rex/Shutterstock|Rex"
    r"|Shutterstock|Alamy|Corbis)",
)
_TRAILING = tuple((kind, re.compile(rf"(?:{p})\s*$", re.DOTALL)) for kind, p in TRAILING_PHRASES)
# The same phrases without the look-behind that opens them: a quick first test (a pattern
# that starts with a look-behind is tried at every position of the tail).
_TRAILING_QUICK = tuple(
    re.compile(rf"(?:{p.removeprefix(_AFTER_END)})\s*$", re.DOTALL) for _, p in TRAILING_PHRASES
)
# Words one of which a paragraph's tail must hold for any trailing phrase to match there:
# one cheap search instead of every pattern on every paragraph.
_TRAILING_HINT = re.compile(
    r"Follow @|READ|Read|Also read|Related|[Ii]nputs|ENDS|Advertisement|ADVERTISEMENT"
    r"|Click|CLICK"
    r"|Featured image|Copyright|©|newsletter|(?:Reporting|reporting|Writing|Compiled) by"
    r"|was (?:amended|corrected|updated)|www\.|https?://|\((?:Click|Graphic|Video|For a|This|Refile"
    r"|Correct|Update)|WATCH|Watch|VIDEO|Video|[Cc]redit"
)
_TAIL = 700  # trailing phrases are looked for in the last characters of a paragraph
# Words one of which a paragraph must hold for each inline phrase (same order): a plain
# substring test is far cheaper than the pattern on every paragraph.
_INLINE_HINTS = (
    ("hoto)", "mage)", "Pic)", "pic)", "hotos)", "hoto/"),
    ("pic.twitter",),
    ("(@",),
    ("post shared",),
    ("READ", "Read", "Also read", "WATCH", "Watch"),
    ("Photo", "Image", "Picture", "Pic"),
    ("redit",),
    ("Photograph:",),
)
_INLINE = tuple(
    (hints, re.compile(p)) for hints, p in zip(_INLINE_HINTS, INLINE_PHRASES, strict=True)
)
_INLINE_ANY = re.compile("|".join(re.escape(h) for hints in _INLINE_HINTS for h in hints))
_SPACES = re.compile(r"[ \t]{2,}")


def strip_trailing_junk(lines: list[str], junk: re.Pattern) -> tuple[list[str], list[str]]:
    """Split ``lines`` into (kept, removed) where removed is trailing junk.

    Blank lines between junk lines go with the junk; the removed list holds
    the junk lines as written (stripped), in file order.
    """
    end = len(lines)
    removed = []
    while end > 0:
        line = lines[end - 1]
        if not line.strip():
            end -= 1
        elif junk.fullmatch(line):
            removed.append(line.strip())
            end -= 1
        else:
            break
    removed.reverse()
    kept = lines[:end]
    signoff = _SIGNOFF.search(kept[-1]) if kept else None
    if signoff:
        kept[-1] = kept[-1][: signoff.start()]
        removed.insert(0, signoff[1])
    return kept, removed


def strip_junk_lines(lines: list[str], junk: re.Pattern) -> tuple[list[str], list[str]]:
    """(kept, removed): every whole junk line, wherever it is. A junk line is replaced by a
    blank line, so the paragraphs around it stay apart.

    A line of hard-wrapped text that looks like junk ("…infringe upon IBM" /
    "copyrights and trademarks.") is the rest of a sentence: a line counts only when
    the line before it is blank, ends a sentence or is missing.
    """
    kept, removed = [], []
    previous = ""
    for line in lines:
        if line.strip() and _standalone(previous) and junk.fullmatch(line):
            removed.append(line.strip())
            kept.append("")
        else:
            kept.append(line)
        previous = line
    return kept, removed


def _standalone(previous: str) -> bool:
    previous = previous.rstrip()
    return not previous or previous.endswith((".", "!", "?", '"', "”", "’", ")", ":", "]"))


class Phrases:
    """What ``strip_phrases`` took off a paragraph, by kind."""

    __slots__ = ("corrections", "credits", "junk")

    def __init__(self):
        self.junk: list[str] = []
        self.credits: list[str] = []
        self.corrections: list[str] = []


def strip_phrases(paragraph: str, found: Phrases, trailing: bool = True) -> str:
    """``paragraph`` without its recognised inline phrases and, when ``trailing``, the
    junk phrases run on to its end; what was taken off is added to ``found``."""
    if trailing:  # first, so that a glued link at the very end comes off whole
        paragraph = _strip_trailing(paragraph, found)
    before = len(found.junk)
    if _INLINE_ANY.search(paragraph):
        for hints, pattern in _INLINE:
            if any(hint in paragraph for hint in hints):
                paragraph = pattern.sub(lambda m: _take(found.junk, m[0]), paragraph)
    if len(found.junk) == before:
        return paragraph
    paragraph = _SPACES.sub(" ", paragraph).strip()
    # Again when an inline phrase came off: what it hid may end with trailing junk.
    return _strip_trailing(paragraph, found) if trailing else paragraph


def _strip_trailing(paragraph: str, found: Phrases) -> str:
    while _TRAILING_HINT.search(paragraph, max(0, len(paragraph) - _TAIL)):
        start = max(0, len(paragraph) - _TAIL)
        tail = paragraph[start:]
        for (kind, pattern), quick in zip(_TRAILING, _TRAILING_QUICK, strict=True):
            if not quick.search(tail):
                continue
            match = pattern.search(paragraph, start)
            if match and match.start() > 0:
                phrase = match[0].strip()
                if kind == "credits":
                    found.credits.append(phrase.strip("()"))
                elif kind == "corrections":
                    found.corrections.append(
                        phrase.lstrip("• ").removeprefix("(").removesuffix(")")
                    )
                else:
                    found.junk.append(phrase)
                paragraph = paragraph[: match.start()].rstrip()
                break
        else:
            return paragraph
    return paragraph


def _take(into: list[str], phrase: str) -> str:
    into.append(phrase.strip())
    return " "
