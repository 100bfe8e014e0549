"""Topics of a story: the people, places, organisations and key phrases it is about.

No language model is available offline, so this reads the text the way a
sub-editor skims it: runs of capitalised words are names, a name in the
headline or the lede matters more, one name has one spelling (``U.S.`` and
``US`` are ``United States``; a surname alone is the full name used
earlier). Pure functions; ``canonical_spellings`` makes spellings agree
across a whole set of stories.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from .agencies import AGENCY_NAMES
from .places import is_place, is_qualifier

# One spelling for names written several ways.
ALIASES = {
    "us": "United States",
    "u.s.": "United States",
    "u.s": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "eu": "European Union",
    "e.u.": "European Union",
    "un": "United Nations",
    "u.n.": "United Nations",
    "nato": "NATO",
    # One topic per party, however the story names it.
    "tory": "Conservative Party",
    "tories": "Conservative Party",
    "conservatives": "Conservative Party",
    "conservative party": "Conservative Party",
    "labour party": "Labour Party",
    "labour": "Labour Party",
    "lib dems": "Liberal Democrats",
    "lib dem": "Liberal Democrats",
    "liberal democrat": "Liberal Democrats",
    "republicans": "Republican Party",
    "republican party": "Republican Party",
    "gop": "Republican Party",
    "democrats": "Democratic Party",
    "democratic party": "Democratic Party",
    "republican": "Republican Party",
    "democrat": "Democratic Party",
    "democratic": "Democratic Party",
    "congress party": "Congress",
    "bjp": "BJP",
    "bharatiya janata party": "BJP",
}
# Adjectives of nationality count as mentions of the country.
DEMONYMS = {
    "american": "United States",
    "british": "United Kingdom",
    "afghan": "Afghanistan",
    "chinese": "China",
    "russian": "Russia",
    "french": "France",
    "german": "Germany",
    "italian": "Italy",
    "spanish": "Spain",
    "japanese": "Japan",
    "indian": "India",
    "pakistani": "Pakistan",
    "iranian": "Iran",
    "iraqi": "Iraq",
    "israeli": "Israel",
    "palestinian": "Palestine",
    "syrian": "Syria",
    "turkish": "Turkey",
    "egyptian": "Egypt",
    "saudi": "Saudi Arabia",
    "ukrainian": "Ukraine",
    "polish": "Poland",
    "dutch": "Netherlands",
    "irish": "Ireland",
    "scottish": "Scotland",
    "welsh": "Wales",
    "english": "England",
    "canadian": "Canada",
    "mexican": "Mexico",
    "brazilian": "Brazil",
    "australian": "Australia",
    "korean": "Korea",
    "european": "Europe",
    "african": "Africa",
    "asian": "Asia",
    "swiss": "Switzerland",
    "swedish": "Sweden",
    "greek": "Greece",
    "nigerian": "Nigeria",
    "portuguese": "Portugal",
    "tibetan": "Tibet",
    "sri lankan": "Sri Lanka",
    "bangladeshi": "Bangladesh",
    "nepalese": "Nepal",
    "nepali": "Nepal",
    "belgian": "Belgium",
    "austrian": "Austria",
    "norwegian": "Norway",
    "danish": "Denmark",
    "finnish": "Finland",
    "hungarian": "Hungary",
    "czech": "Czech Republic",
    "romanian": "Romania",
    "serbian": "Serbia",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "colombian": "Colombia",
    "venezuelan": "Venezuela",
    "cuban": "Cuba",
    "filipino": "Philippines",
    "vietnamese": "Vietnam",
    "thai": "Thailand",
    "indonesian": "Indonesia",
    "malaysian": "Malaysia",
    "kenyan": "Kenya",
    "ethiopian": "Ethiopia",
    "qatari": "Qatar",
    "lebanese": "Lebanon",
    "yemeni": "Yemen",
    "libyan": "Libya",
    "moroccan": "Morocco",
    "somali": "Somalia",
    "north korean": "North Korea",
    "south korean": "South Korea",
}
# Words before a name that are a role, not part of it.
TITLES = frozenset(
    """
    mr mrs ms miss dr sir dame lord lady gen gen. general col col. lt lt. capt capt. sgt
    sgt. adm adm. sen sen. rep rep. gov gov. president prime minister chancellor secretary
    spokesman spokeswoman spokesperson chairman chief executive judge justice king queen
    prince princess pope father rev rev. army navy senior former deputy actor actress singer
    star director striker coach manager boss analyst economist mp professor officer
    senator representative governor lieutenant chair chairwoman chairperson commander
    leader speaker attorney counsel ambassador commissioner inspector superintendent mayor
    councillor councilman congressman congresswoman lawmaker candidate nominee democrat
    republican premier treasurer envoy adviser advisor aide strategist founder ceo cfo
    head legislator magistrate shri smt mla cm pm whip sheriff detective constable
    administrator marshal captain democratic justices mlc sho dsp dci ag prof prof.
    """.split()
)
# Occupations before a name ("Comedian Kapil Sharma"), only in the singular: "Reporters
# Without Borders" is a body.
OCCUPATIONS = frozenset(
    """
    comedian motorman engineer writer author producer filmmaker designer cricketer batsman
    bowler skipper footballer midfielder goalkeeper rapper musician champion boxer wrestler
    fighter athlete composer lyricist choreographer journalist reporter businessman
    businesswoman tycoon billionaire activist lawyer surgeon scientist historian poet
    novelist playwright photographer chef superstar megastar guitarist drummer bassist
    pianist violinist keyboardist
    """.split()
)
# Last words of the names of bodies: a title word before them is part of the name.
ORGANISATION_WORDS = frozenset(
    """
    committee party council commission association institute university department court
    school college hospital co inc corp ltd plc llc motors airlines airways
    bank agency service authority board group union league corporation company foundation
    senate house congress army force forces ministry office assembly caucus club guild
    police works
    """.split()
)
# Words of a title's department after "of": "Secretary of State Rex Tillerson".
DEPARTMENTS = frozenset(
    """
    state defense defence homeland security treasury commerce health energy justice
    education labor labour transportation transport agriculture interior foreign affairs
    home finance external war information broadcasting railways environment housing trade
    industry culture sport sports staff joint chiefs police the and human services urban
    development veterans
    """.split()
)
# Names that are sources and credits, never topics: agencies, picture agencies.
NOT_TOPICS = AGENCY_NAMES | frozenset(
    (
        "getty",
        "getty images",
        "afp/getty images",
        "shutterstock",
        "alamy",
        "epa",
        "press trust of india",
        "ht photo",
        "ap photo",
        "pti photo",
        "associated press",
        "thomson reuters",
        "reuters tv",
        "inshorts",
        "igp",
        "dgp",
        "dcp",
        "acp",
        "ssp",
    )
) - {"bloomberg"}  # also a person's name
# Capitalised words that are not topics on their own.
STOPWORDS = frozenset(
    """
    a an the and or but if then so as at by for from in into of on onto to with without
    about after before over under up down out off than that this these those there here it
    its it's he she they we i you his her their our my your them him us me who whom whose
    which what when where why how all any both each few more most other some such no nor
    not only own same too very can will just don should now also however while although
    though because since until unless yet still even ever never always often said says say
    told tells according mr mrs ms dr old last next first second third one two three four
    five six seven eight nine ten many much several another monday tuesday wednesday
    thursday friday saturday sunday today yesterday tomorrow january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec week month year morning evening night government officials
    official people news report reports statement spokesman minister president chairman
    company group market markets mln bln dlrs pct cts shr net revs qtr inc corp co ltd plc
    llc i'm i've i'd i'll
    along among amid amidst across against despite during within beyond behind below
    beneath beside besides between toward towards upon via per best worst better less
    least instead meanwhile perhaps indeed thus hence yes okay ok earlier later recently
    currently following including overall separately elsewhere asked speaking like unlike
    whether every nothing something everything anything everyone someone nobody none
    est edt cst cdt pst pdt gmt ist bst cet utc am pm neither either nor rs st oh usually
    eleven twelve thirteen fourteen fifteen twenty thirty forty fifty hundred thousand
    dozens sixteen seventeen eighteen nineteen regarding concerning
    majority minority millions thousands hundreds billions lots members sorry thanks
    million billion trillion tonnes percent qtrly
    """.split()
)
# Words every business or news story uses: never a theme of one story, as a key word or
# as a lone capitalised word ("Sales 68.2 mln" in a results table).
GENERIC = frozenset(
    """
    period periods price prices pricing year years rate rates share shares company
    companies quarter quarters statement statements agreement agreements factor factors
    index pickup revenue revenues sales profit profits earnings income total level levels
    value values amount amounts number numbers figure figures result results increase
    increases decrease decline declines rise rises gain gains loss losses change changes
    issue issues offer offers record records month months analysts market markets
    business industry interest times dealers sources unit units stock stocks trading
    include includes included exclude excludes excluded operating common money cents
    charge charges costs terms miles worth extraordinary fiscal annual average previous
    prior final current public strong senior available further fourth fifth versus given
    would could should through around being there these those which while where other
    outstanding payable minimum maximum equal right expects private board effort efforts
    meeting meetings federal state national thing things
    """.split()
)
# Lone words that are a kind of body, not one body: "Bank", "Police", "Brigade".
BARE_BODIES = frozenset(
    """
    bank banks police brigade board court ministry department agency commission committee
    council company group union division unit office authority corporation association
    institute fund trust exchange
    """.split()
)
CONNECTORS = frozenset({"of", "for", "de", "del", "der", "van", "von", "al", "bin", "la", "le"})

_TOKEN = re.compile(r"[\w][\w'’.&-]*")
# Words and the punctuation between them; punctuation ends a name.
_STREAM = re.compile(r"[\w][\w'’.&-]*|[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s?$")
# Dotted acronyms, a middle initial ("Robert E. Lee") and abbreviated titles.
_ABBREV = re.compile(r"(?:[A-Z]\.){1,}|(?:Gen|Sen|Rep|Gov|Mr|Mrs|Ms|Dr|St|Lt|Col|Jr|Inc|Co)\.")
# A wire ticker in a name's place: "DBKGn.DE", "AMZN.O".
_TICKER = re.compile(r"[A-Z][A-Za-z]{1,6}\.[A-Z]{1,3}|Rs\.?\d[\d,.]*")

# names_in reads text as _STREAM's tokens without a Python step per token: _STRETCH
# tokenises the same way (possessive, so never differently) and skips the tokens that
# never start or join a name: words opening with a-z, 0-9 or _ (a connector only joins a
# run, and a run never precedes a skipped token) and common punctuation. "last" is the
# last skipped token that is not an opening quote or bracket (it decides whether a
# sentence starts); "stretch" is a run of possible name words (any other opening
# character, Python decides) and connectors.
_WORD_TAIL = r"[\w'’.&-]*+"
_PLAIN_PUNCT = r"!-/:-@\[-^`{-~”’—–…«»•·"
_CANDIDATE = rf"[^\Wa-z0-9_]{_WORD_TAIL}|[^\w\s{_PLAIN_PUNCT}“‘]"
_CONNECTOR = r"(?:del|der|de|for|of|van|von|al|bin|la|le)(?![\w'’.&-])"
_STRETCH = re.compile(
    rf"(?:\s*+(?:[\"'“‘(]|(?P<last>[a-z0-9_]{_WORD_TAIL}|[{_PLAIN_PUNCT}])))*+"
    rf"\s*+(?:(?P<first>{_CANDIDATE})(?P<more>(?:\s*+(?:{_CANDIDATE}|{_CONNECTOR}))*+))?"
)


@dataclass
class Mention:
    name: str
    count: int = 0
    mid_sentence: int = 0  # mentions not at the start of a sentence
    first: int = 0  # position of the first mention, in names
    in_title: bool = False
    in_lede: bool = False

    @property
    def score(self) -> float:
        bonus = 0.5 if (len(self.name.split()) > 1 or is_place(self.name)) else 0.0
        return self.count + 2 * self.in_title + self.in_lede + bonus


def names_in(text: str) -> list[tuple[str, bool]]:
    """Capitalised runs in ``text`` as (name, opens a sentence), roles removed.

    One regular expression skips the words that cannot be part of a name and
    finds each stretch of capitalised words and connectors; only those
    stretches are looked at word by word.
    """
    names: list[tuple[str, bool]] = []
    if _GLUED_STOP.search(text):
        text = _unglue(text)  # "… in India.The …": the space scraping lost
    lowercase_words = _LowercaseWords(text)
    sentence_start = True
    lost = _apostrophes_lost(text)
    in_words = lost and _LOST_IN_WORDS.search(text) is not None  # once a text, not a name
    joinable = None  # (index in names, stretch end) of a name a following "and" may extend
    for match in _STRETCH.finditer(text):
        first, more = match.group("first", "more")
        if first is None:
            break  # only the end of the text is left
        last = match["last"]
        if last is not None:
            sentence_start = last[-1] in ".!?" and _ends_sentence(last)
            if last in "@#":  # a handle or a hashtag ("@TWooodley", "#Sultan"), not a name
                sentence_start = False
                continue
        before = len(names)
        if not more and first[0].isupper():  # one word alone, the common case
            name = _single_name(first, sentence_start, lowercase_words)
            if name and lost:
                name = _lost_possessive(name, text, match.end(), in_words)
            if name:
                names.append((name, sentence_start))
            sentence_start = first[-1] in ".!?" and _ends_sentence(first)
        else:
            sentence_start = _stretch(first + more, names, sentence_start, lowercase_words, lost)
            if lost and len(names) > before:
                name, opens = names[-1]
                names[-1] = (_lost_possessive(name, text, match.end(), in_words), opens)
        if len(names) == before:
            joinable = None
            continue
        end = match.end()
        if _a_work(last, text, end):
            del names[before:]  # "the film Jaane Tu", "Naya Daur (1957)": titles of works
            joinable = None
            continue
        if joinable and last == "and":
            _join_and(names, joinable, before, text, match.start("last"))
        joinable = (len(names) - 1, end)
    return names


def _stretch(words: str, names: list, sentence_start: bool, lowercase_words, lost) -> bool:
    """The names in one stretch of capitalised words and connectors, added to ``names``;
    whether the text after the stretch starts a sentence."""
    run: list[str] = []
    run_opens = False
    broken = False
    for token in _STREAM.findall(words):
        if token == "\ufffd" or broken:  # "Hugo Ch\ufffdvez": a name a bad byte broke
            broken = token == "\ufffd" or (broken and token[0].islower())
            run.clear()
            continue
        if token[0].isupper():
            abbrev = token[-1] == "." and bool(_ABBREV.fullmatch(token))
            bare = _bare(token, abbrev)
            if bare != token and bare.lower() in _INSIDE_NAMES:
                bare = token  # "ICC Women's World Cup": the possessive is the name's
            possessive = lost and _country_possessive(bare)
            if possessive:
                bare = bare[:-1]  # "Pakistans National Accountability Bureau"
            if _name_word(bare):
                if not run:
                    run_opens = sentence_start
                run.append(bare)
                # "…in Kabul.", "Taliban's gains", "U.S. Senate", "Inc. Trump" end a name;
                # "Mario M. Cuomo", "Sen. Susan Collins" do not
                if possessive or (_ends_name(bare) if abbrev else bare != token):
                    _close(run, run_opens, names, lowercase_words)  # "Taliban's", "Kabul."
            elif run:
                _close(run, run_opens, names, lowercase_words)
        elif run and token in CONNECTORS:
            run.append(token)
        elif run:
            _close(run, run_opens, names, lowercase_words)
        if token[-1] in ".!?" and _ends_sentence(token):
            sentence_start = True
        elif token not in "\"'“‘(":
            sentence_start = False
    if run:
        _close(run, run_opens, names, lowercase_words)
    return sentence_start


def _close(run: list[str], opens: bool, names: list, lowercase_words) -> None:
    """The name (or names: "TPS for Haitians") in a run of capitalised words, added to
    ``names``; ``run`` is emptied."""
    while run and run[-1].lower() in CONNECTORS:
        run.pop()
    if not run:
        return
    parts = _split_at_for(run, lowercase_words.text) if "for" in run else (run,)
    for part in parts:
        name = _clean_run(part, opens, lowercase_words)
        if name:
            names.append((name, opens and name.split()[0] == part[0]))
        opens = False
    run.clear()


# Plurals whose possessive is part of a body's name ("Children's Hospital").
_INSIDE_NAMES = frozenset({"women", "men", "children", "people"})


def _ends_name(abbreviation: str) -> bool:
    key = abbreviation.lower()
    return key in ALIASES or key.rstrip(".") in _SUFFIXES


_SUFFIXES = frozenset({"inc", "co", "corp", "ltd", "plc", "llc", "jr", "sr"})


def _split_at_for(run: list[str], text: str) -> list[list[str]]:
    """A run joined by "for" is one name after a body's word ("Centers for Disease
    Control"); before a place or a name the story names again, it is two ("blamed
    Democrats for Obamacare", "TPS for Haitians")."""
    if "for" not in run:
        return [run] if run else []
    at = run.index("for")
    before, after = (run[at - 1] if at else ""), run[at + 1 :]
    key = before.lower()
    if _is_title(before) and len(after) <= 2:
        return []  # "Conservative MP for Kensington", "Congress MLA for Abdasa": a post
    if (
        key in _FOR_BODIES
        or key.rstrip("s") in _FOR_BODIES
        or _is_title(before)
        or not (is_place(" ".join(after)) or (len(after) == 1 and text.count(after[0]) > 1))
    ):
        return [run]  # "Transport for London", "Secretary for Economics", "Alliance for X Y"
    return [part for part in (run[:at], after) if part]


def _apostrophes_lost(text: str) -> bool:
    """``text`` has no possessive anywhere: a country's "Indias" is then India's (and
    _lost_possessive looks further)."""
    return "s" in text and not any(mark in text for mark in _POSSESSIVE_MARKS)


_POSSESSIVE_MARKS = ("'s", "’s", "?s", "s'", "s’")
# A consonant before "ys" (the plural is "-ies"), or a contraction without its apostrophe.
_LOST_IN_WORDS = re.compile(
    r"[b-df-hj-np-tv-z]ys\b|\b(?:do|did|does|is|was|were|are|could|would|should|has|have|had)nt\b"
)


def _country_possessive(word: str) -> bool:
    """ "Indias", "Pakistans": a country or state with a possessive s whose apostrophe is lost."""
    return (
        len(word) > 4
        and word[-1] == "s"
        and word[-2] not in "su"
        and is_qualifier(word[:-1])
        and not is_place(word)
    )


def _lost_possessive(name: str, text: str, end: int, in_words: bool) -> str:
    """``name`` without the s of a possessive whose apostrophe is lost: "Pakistans" alone,
    or, where words lost theirs too ("companys", "didnt": ``in_words``, whether ``text``
    has such a word), a name before a noun ("Hoshang Sethnas salary"); a name before a verb
    or a function word keeps it ("Jon Jones had")."""
    if name[-1] != "s":
        return name
    last = name.rsplit(" ", 1)[-1]
    if _country_possessive(last):
        return name[:-1]
    if len(last) < 4 or last[-2] in "su'’" or last.isupper() or not in_words:
        return name
    following = _NEXT_WORD.match(text, end)
    if not following or is_place(last):
        return name
    word = following[1]
    if word in STOPWORDS or word in _FUNCTION_VERBS or word.endswith(("ed", "s", "ing")):
        return name
    return name[:-1]


_NEXT_WORD = re.compile(r"[ ]([a-z]+)\b")
_FUNCTION_VERBS = frozenset(
    """
    is are was were be been has have had do does did will would could can may might must
    shall won lost took made got gave went came left met led ran saw told put set hit
    who which whose whom that
    """.split()
)


def _a_work(last: str | None, text: str, end: int) -> bool:
    """A stretch that names a film, book or show: after "film" or "novel", or dated like a
    filmography ("Naya Daur (1957)")."""
    return last in _WORK_WORDS or (
        "(" in text[end : end + 2] and bool(_YEAR_AFTER.match(text, end))
    )


_WORK_WORDS = frozenset(
    """
    film films movie movies book books novel novels song songs album albums sitcom starrer
    titled memoir biopic
    """.split()
)
_YEAR_AFTER = re.compile(r"\s*\((?:1[89]|20)\d\d\)")


def _join_and(names: list, joinable: tuple[int, int], at: int, text: str, and_at: int) -> None:
    """Make "House Ways" and "Means Committee", split at "and", one name again, and
    "Jammu" and "Kashmir" one place: only when "and" alone stands between them."""
    index, end = joinable
    if index != at - 1 or text[end:and_at].strip():
        return
    (left, opens), (right, _) = names[index], names[at]
    joined = f"{left} and {right}"
    if not is_place(joined):
        left_last, right_words = left.rsplit(" ", 1)[-1], right.split()
        if (
            len(right_words) < 2
            or right_words[-1].lower() not in _AND_BODIES
            or right_words[0].lower() in _BODY_OPENERS  # "… and International Monetary Fund"
            or _country_of(right_words[0])
            or left_last.lower() in ORGANISATION_WORDS
            or is_place(left)
            # X's last word never a name alone: not "Trump and Justice Department"
            or _said_alone(left_last, text)
        ):
            return
    names[index] = (joined, opens)
    del names[at]


def _said_alone(word: str, text: str) -> bool:
    """``word`` is somewhere in ``text`` a name of its own: not before "and" or another
    capitalised word ("Trump said"; not "Health Secretary", "Health and Human …")."""
    alone = re.compile(rf"\b{re.escape(word)}\b(?!['’]s\b)(?! and )(?!\s+[A-Z])")
    return bool(alone.search(text))


# First words of a body's own name: "X and National Y Board" are two names.
_BODY_OPENERS = frozenset(
    "international national federal united european world royal general central supreme "
    "state union global asian african".split()
)
# Last words of the names of public bodies that are often "X and Y …": "Ways and Means
# Committee", "Food Safety and Standards Authority" (not company forms: "Google and
# Apple Inc" are two).
_AND_BODIES = frozenset(
    """
    committee commission council authority institute institution services department
    ministry board agency bureau research technology sciences affairs development
    management tribunal centre center foundation fund programme program forum society
    federation organisation organization administration
    """.split()
)
# Words of bodies named "X for Y" ("Centers for Disease Control", "Network for Good").
_FOR_BODIES = (
    _AND_BODIES
    | ORGANISATION_WORDS
    | DEPARTMENTS
    | frozenset("alliance network trust transport coalition campaign project system".split())
)


# "India.The", "Foundation.RESCUE ME", "DU'Trump": a stop that lost its space (never
# "U.S.A": two letters of a word before it). The pattern finds a stop before a capital
# (rare in text that kept its spaces); _unglue looks at what is around it.
_GLUED_STOP = re.compile(r"[.!?'’](?=[A-Z])")


def _unglue(text: str) -> str:
    return _GLUED_STOP.sub(lambda m: _space_after(m, text), text)


def _space_after(match: re.Match, text: str) -> str:
    at, stop = match.start(), match[0]
    before, after = text[max(at - 2, 0) : at], text[at + 1 : at + 3]
    if not (len(before) == 2 and before.isalpha()):
        return stop
    if after[1:].islower() and (stop not in "'’" or before.isupper()):
        return stop + " "  # "India.The", "DU'Trump"
    if stop not in "'’" and before.islower() and after.isupper() and len(after) == 2:
        return stop + " "  # "Foundation.RESCUE"
    return stop


# Past this length a text's words are put in a set at once: a substring search per
# capitalised word would make a long text quadratic.
_SHORT_TEXT = 4000


class _LowercaseWords:
    """``word in`` it: ``word`` is a lower-case word of ``text`` (the set made only if needed)."""

    __slots__ = ("text", "words")

    def __init__(self, text: str):
        self.text = text
        self.words = None

    def __contains__(self, word: str) -> bool:
        if len(self.text) <= _SHORT_TEXT and word not in self.text:
            return False
        if self.words is None:
            self.words = set(_TOKEN.findall(self.text))
        return word in self.words and word.islower()


def _bare(token: str, abbrev: bool) -> str:
    """A capitalised word without its possessive or full stop ("Blair's" -> "Blair");
    an abbreviation ("Sen.") keeps its stop."""
    if abbrev:
        return token
    if "'" in token or "’" in token:
        return _POSSESSIVE.sub("", token).rstrip(".")
    return token.rstrip(".")


def _single_name(token: str, opens: bool, lowercase_words) -> str | None:
    """What names_in's run logic and _clean_run make of a capitalised word alone."""
    bare = _bare(token, token[-1] == "." and bool(_ABBREV.fullmatch(token)))
    if len(bare) < 2 or bare.lower() in CONNECTORS or not _name_word(bare):
        return None
    if _common(bare, lowercase_words) or (opens and _adverb(bare)) or bare.lower() in NOT_ALONE:
        return None
    if bare[-1] == "s" and _role_initials(bare):
        return None  # "MLAs", "MPs": roles
    return bare if any(ch.isalpha() for ch in bare) else None


def _ends_sentence(token: str) -> bool:
    if token in ".!?":
        return True
    return token[-1] == "." and token[:-1].isalpha() and not _ABBREV.fullmatch(token)


def _opening_verb(words: list[str]) -> bool:
    """ "Unfortunately England …", "Bringing Cadillac …": not part of the name after it."""
    first = words[0]
    if _adverb(first):
        return True
    return (
        len(words) > 1
        and len(first) > 5
        and first.endswith("ing")
        and first[1:].islower()
        and not is_place(first)
        and not any(w.lower() in ORGANISATION_WORDS for w in words)  # "Corning Glass Works"
    )


def _adverb(word: str) -> bool:
    """ "Unfortunately England lost": an -ly word opening a sentence is not a name."""
    return word.endswith("ly") and word[:-2].islower() and len(word) > 5


def _name_word(word: str) -> bool:
    """Not "Moscow-based" or "State-owned": a lower-case tail makes an adjective; not
    "DEFENCEArguing": a subhead glued to the next sentence."""
    if len(word) > 4 and word[1].isupper() and not word.isupper() and _GLUED_CAPS.search(word):
        return False
    return "-" not in word or word.rsplit("-", 1)[1][:1].isupper()


_GLUED_CAPS = re.compile(r"[A-Z]{4}[a-z]")


def _common(word: str, lowercase_words) -> bool:
    if len(word) > 1 and word.isupper():
        # An acronym ("US" is not "us", "IT" is not "it"), unless a shouted word:
        # "FRIDAY", "DEC", "FAKE" (four letters or more, written small elsewhere).
        key = word.lower()
        if key in _SHOUTED or (len(word) >= 3 and key in STOPWORDS and key != "who"):
            return True  # "FRIDAY", "FOR", "THE"
        return len(word) >= 4 and key.isalpha() and key in lowercase_words
    key = word.lower()
    if "’" in key:
        key = key.replace("’", "'")
    if "." in key:  # "Mr.", and wire tickers: "DBKGn.DE"
        return key.rstrip(".") in STOPWORDS or bool(_TICKER.fullmatch(word))
    return (
        key in STOPWORDS
        or key in lowercase_words
        or (key[:2] == "rs" and bool(_TICKER.fullmatch(word)))
    )


# Capitals that are calendar words or clock zones, not acronyms.
_SHOUTED = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep
    sept oct nov dec january february march april june july august september october
    november december est edt cst cdt pst pdt gmt ist bst cet utc
    """.split()
)


def _clean_run(run: list[str], opens_sentence: bool, lowercase_words) -> str | None:
    """The name in a run of capitalised words; linear in the run (every step moves a start)."""
    words = run
    start = 0
    if opens_sentence and words and (_common(words[0], lowercase_words) or _opening_verb(words)):
        start = 0 if _all_india(words, 0) else 1
    if words[-1].lower() in _PUBLICATION_ENDS and _publication(" ".join(words[start:])):
        return None  # "told Mail Today": a source (before "Today" comes off as an opener)
    titled = _after_title(words, start)
    if titled == start and "of" in words and _a_post(words, start):
        return None  # "CEO of FSSAI", "Ministers of Union Territories": a post, no name
    start = titled
    company = words[-1].lower().rstrip(".") in _COMPANY_FORMS
    while start < len(words) and (_common(words[start], ()) or words[start] in CONNECTORS):
        if words[start] == "All" and _all_india(words, start):
            break  # "All India Radio", "All India Institute of Medical Sciences"
        if words[start].lower() in _ORDINALS and (company or len(words) - start > 2):
            break  # "First Boston Corp", "First Savings Bank of Florida": the name's
        start += 1
    if len(words) - start > 1:
        nationality = _demonym_words(words, start)  # "Afghan Taliban" (not "Indian Army")
        if nationality and ORGANISATION_WORDS.isdisjoint([w.lower() for w in words]):
            start += nationality
    end = len(words)
    while end - start > 1 and _opener(words[end - 1]):
        end -= 1  # "DU However": the next sentence's opener, glued on
    words = words[:end]
    if start < len(words) and words[start].isupper():
        start = _after_shouting(words, start, lowercase_words)
        while start < len(words) - 1 and _common(words[start], ()) and words[start] != "All":
            start += 1  # "RESCUE ME APP The Rescue" (not "All India Radio")
    words = words[start:]
    if not words:
        return None
    if len(words) == 1:
        if words[0].lower() in NOT_ALONE:
            return None  # "Central", "Union", "Defense": a name's word, never a topic alone
    elif _not_a_name(words):
        return None
    place_at = _of_place(words)
    if place_at:
        words = words[:place_at]  # "Asa Hutchinson of Arkansas": the person
    name = " ".join(words)
    if not words or (len(words) == 1 and (_common(name, lowercase_words) or len(name) < 2)):
        return None
    if not any(ch.isalpha() for ch in name):
        return None
    return name


_COMPANY_FORMS = frozenset({"inc", "corp", "co", "ltd", "plc", "llc", "group", "company", "ag"})
_ORDINALS = frozenset({"first", "second", "third"})


def _not_a_name(words: list[str]) -> bool:
    """A run of two words or more that is a post, a role, a shouted phrase or a work."""
    keys = [w.lower() for w in words]
    if not _ROLE_KEYS.isdisjoint(keys) and all(map(_role_or_place, words)):
        return True  # "Chief Minister of Bihar", "Additional DCP": a post, not a name
    last = keys[-1]
    if (last in TITLES or last in OCCUPATIONS or _role_initials(words[-1])) and (
        last not in _COMPANY_FORMS
    ):
        return True  # "Special Counsel", "Nevada Democrat", "Congress MLAs": a role
    if all(w.isupper() for w in words) and not is_place(" ".join(words)):
        return True  # a shouted phrase, "FAKE NEWS", not a name
    return (
        len(words) > 2
        and not _TITLE_CASE_SMALL_WORDS.isdisjoint(words[1:])
        and last.rstrip(".") not in _COMPANY_FORMS  # "Harris Upham And Co Inc"
    )  # "Koffee With Karan", "My Name Is Khan": the title of a work


def _all_india(words: list[str], at: int) -> bool:
    return words[at] == "All" and words[at + 1 : at + 2] == ["India"]


def _role_initials(word: str) -> bool:
    """ "MLAs", "MPs": a role's initials in the plural."""
    return word[-1] == "s" and word[:-1].isupper() and word[:-1].lower() in TITLES


# Small words a title of a work capitalises and a name never does (Hindi ones too).
_TITLE_CASE_SMALL_WORDS = frozenset(
    "Of The An In On At To With And Is Are Was Be My Your Hai Ke".split()
)


def _a_post(words: list[str], start: int) -> bool:
    """A title of something with no name after it: "CEO of FSSAI", "Speaker of the House"."""
    if "of" not in words[start + 1 : -1]:
        return False
    start += _demonym_words(words, start)  # "Algerian Minister of Energy"
    at = words.index("of", start + 1)
    return all(_is_title(w) or w.lower() in _ROLE_WORDS for w in words[start:at])


def _demonym_words(words: list[str], start: int) -> int:
    """How many words at ``start`` are a nationality ("Zambian", "South Africans")."""
    if _country_of(words[start]):
        return 1
    if start + 2 < len(words) and _country_of(f"{words[start]} {words[start + 1]}"):
        return 2
    return 0


@lru_cache(maxsize=65536)
def _country_of(word: str) -> str | None:
    """The country of a nationality word: "Afghan", "Zambians", "South African"."""
    key = word.lower()
    if key in DEMONYMS:
        return DEMONYMS[key]
    if key.endswith("s") and key[:-1] in DEMONYMS:  # "Afghans"
        return DEMONYMS[key[:-1]]
    stem = word[:-1] if word.endswith("ans") else word
    if not stem.endswith("an") or len(stem) < 5:
        return None
    # Zambian: Zambia; Malian: Mali; Jordanian: Jordan.
    for country in (stem[:-1], stem[:-2], stem[:-3]):
        if len(country) >= 4 and is_qualifier(country) and not is_place(stem):
            return country
    return None


def _after_shouting(words: list[str], start: int, lowercase_words) -> int:
    """Where a run starts after shouted words glued on: "MAGNIFICENT Capitol", a subhead
    "MAJOR DESTINATION FOR TRAFFICKED GIRLS Maharashtra"."""
    shouted = start
    while shouted < len(words) and len(words[shouted]) > 1 and words[shouted].isupper():
        shouted += 1
    if (
        shouted < len(words)
        and shouted - start >= 2
        and any(
            w.lower() in STOPWORDS or _shouted(w, lowercase_words) for w in words[start:shouted]
        )
    ):
        return shouted
    while len(words) - start > 1 and _shouted(words[start], lowercase_words):
        start += 1
    return start


def _is_title(word: str) -> bool:
    return word.lower() in _TITLE_FORMS


# "Senator X", "Senators X and Y", "Comedian X"
_TITLE_FORMS = TITLES | OCCUPATIONS | {title + "s" for title in TITLES}


def _role_or_place(word: str) -> bool:
    key = word.lower()
    return key in TITLES or key in CONNECTORS or key in _ROLE_WORDS or is_place(word)


_ROLE_WORDS = frozenset({"additional", "assistant", "joint", "acting", "dcp", "acp", "igp", "dgp"})
_ROLE_KEYS = TITLES | _ROLE_WORDS
# Words written with a capital inside names that are no topic on their own.
NOT_ALONE = frozenset(
    """
    north south east west northern southern eastern western central union defense defence
    general sector article updated update section chapter annual capital uncle aunt aunty
    auntie mother brother sister son daughter wife husband
    """.split()
)


def _opener(word: str) -> bool:
    """A common word that ends a run only because a sentence start was glued on."""
    key = word.lower()
    return (key in STOPWORDS and key not in _COMPANY_FORMS) or _adverb(word)


def _shouted(word: str, lowercase_words) -> bool:
    return len(word) >= 4 and word.isupper() and word.isalpha() and word.lower() in lowercase_words


def _of_place(words: list[str]) -> int:
    """Where "of <place or body>" ends a person's name ("Bobby Scott of Virginia", "Ann Lee
    of Leeds University"), else 0."""
    if len(words) < 4 or "of" not in words[2:4]:
        return 0
    cut = words.index("of", 2)
    head, tail = words[:cut], words[cut + 1 :]
    if not tail or any(w in CONNECTORS for w in tail):
        return 0
    body = tail[-1].lower() in ORGANISATION_WORDS or (len(tail) == 1 and tail[0].isupper())
    if not (body or is_place(" ".join(tail))):
        return 0  # a place, a body or a party's initials: "Nishikant Dubey of BJP"
    if any(_is_title(w) or w.lower() in ORGANISATION_WORDS for w in head if w != "AG"):
        return 0  # "Chief Minister of Bihar", "Bank of England": the whole is the name
    return cut


def _after_title(words: list[str], start: int) -> int:
    """Where the name starts after the last title in ``words[start:]``: "Senator Al Franken",
    "Republican Governor Chris Christie", "Secretary of State Rex Tillerson"."""
    if words[-1].lower() in ORGANISATION_WORDS:
        return start  # "Republican National Committee": a body, not a person with a title
    last = -1
    for i in range(start, len(words) - 1):
        if _is_title(words[i]) and words[i].lower() not in ORGANISATION_WORDS:
            last = i  # not "International Army Games"
    if last < 0:
        return start
    after = last + 1
    if words[after].lower() in ORGANISATION_WORDS:
        return start  # "Television Producers Guild of India": a body
    if words[after] in CONNECTORS:  # "of State", "of Home Affairs": a department
        end = after + 1
        while end < len(words) - 1 and words[end].lower() in DEPARTMENTS:
            end += 1
        if end == after + 1:
            end = _body_end(words, after + 1)  # "Speaker of Gujarat Assembly Ramanlal Vohra"
        if end == after + 1 or len(words) - end < 2:
            return start  # "Bank of England", "Duke of Edinburgh": the title is the name
        return end
    return after


def _body_end(words: list[str], at: int) -> int:
    """Where the body or place named from ``at`` ends, when a name of two words or more
    follows it; else ``at``."""
    ends = range(at + 1, len(words) - 1)
    for end in ends:  # a body first: "Speaker of Lakeland Assembly Ravi Menon"
        key = words[end - 1].lower()
        if key in ORGANISATION_WORDS or key[:-1] in ORGANISATION_WORDS:
            return end
    for end in ends:
        if is_place(" ".join(words[at:end])) and not is_place(" ".join(words[at : end + 1])):
            return end
    return at


@lru_cache(maxsize=65536)  # stories name the same people again and again
def normalise(name: str) -> str:
    """The one spelling of a name."""
    key = name.lower()
    if key in ALIASES:
        return ALIASES[key]
    if key[-1] == "." and key[key.rfind(" ") + 1 : -1] in _COMPANY_FORMS and " " in key:
        return name[:-1]  # "North American Coal Co." ending a sentence
    if len(name) > 4 and name.isupper() and is_place(name):
        # "CHICAGO, March 3 -" inside wire copy: Chicago (not the acronyms "DACA", "SALT")
        return _title_case(name)
    return _country_of(name) or name  # "Afghans", "Zambian": the country


def _title_case(name: str) -> str:
    return " ".join(w if w in CONNECTORS else w.capitalize() for w in name.lower().split())


def mentions(title: str, paragraphs: tuple[str, ...]) -> dict[str, Mention]:
    """Every name in the story with how often and where it occurs."""
    found: dict[str, Mention] = {}
    position = 0
    for index, paragraph in enumerate(paragraphs):
        for name, opens in names_in(paragraph):
            key = normalise(name)
            mention = found.get(key)
            if mention is None:
                mention = found[key] = Mention(key, first=position)
            mention.count += 1
            mention.mid_sentence += not opens
            mention.in_lede |= index == 0
            position += 1
    _merge_spellings(found)
    _merge_short_forms(found)
    by_surname = _by_surname(found)
    merged = _merge_surnames(found, by_surname)
    in_title = set()
    for name, _ in names_in(title):
        key = normalise(name)
        in_title.add(merged.get(key) or _full_name(key, by_surname) or key)
    for name in list(found):
        mention = found[name]
        if " " not in name and _bare_word(name):
            del found[name]  # even a town's name: "Police" in Poland
            continue
        if " " in name or is_place(name):
            continue
        # A lone capitalised word seen only opening sentences is an ordinary word; one said
        # once and not in the headline is as likely a label ("Games", "Article", "Ring").
        if not mention.mid_sentence or (mention.count == 1 and name not in in_title):
            del found[name]
    for key in in_title:
        if key in found:
            found[key].in_title = True
    return found


def _bare_word(name: str) -> bool:
    """A lone word that names no one thing: "Sales" heading a results table, "Bank" or
    "Police" alone."""
    key = name.lower()
    return key in GENERIC or key in BARE_BODIES


def _by_surname(found: dict[str, Mention]) -> dict[str, list[str]]:
    """The names of several words in ``found`` by their last word (merging never changes them)."""
    index: dict[str, list[str]] = {}
    for key in found:
        if " " in key:
            index.setdefault(key.split()[-1], []).append(key)
    return index


def _full_name(name: str, by_surname: dict[str, list[str]]) -> str | None:
    """The one longer name in ``found`` that ends with the single word ``name``."""
    if " " in name:
        return None
    fuller = by_surname.get(name, ())
    return fuller[0] if len(fuller) == 1 else None


def _by_first_name(found: dict[str, Mention]) -> dict[str, list[str]]:
    """Names of people ("Sunny Leone", "Xi Jinping") by their first word, for a first name
    alone ("Sunny", "Xi"); only two- and three-word names that are not places."""
    index: dict[str, list[str]] = {}
    for key in found:
        words = key.split()
        if len(words) in (2, 3) and not is_place(key):
            index.setdefault(words[0], []).append(key)
    return index


def _merge_surnames(found: dict[str, Mention], by_surname: dict[str, list[str]]) -> dict:
    """One name per person or body: a surname, a first name, "Lataji", initials ("SRK",
    "CISF") go into the one full name they belong to; a surname several full names share
    ("Yadav") is no topic. Returns the names merged, by the name they went into."""
    by_first = _by_first_name(found)
    initials = None
    merged = {}
    for name in list(found):
        if " " in name:
            continue
        full = _full_name(name, by_surname)
        if not full and not is_place(name):
            full = _only(by_first.get(name, ()), name)
        if not full and name.endswith("ji") and len(name) > 4:  # an Indian honorific
            full = _only(by_first.get(name[:-2], ()) or by_surname.get(name[:-2], ()), name)
        if not full and name.isupper() and 2 <= len(name) <= 8:
            initials = initials if initials is not None else _by_initials(found)
            full = _only(initials.get(name, ()), name)
            if full and _a_body(full) and full.split()[-1].lower() not in _COMPANY_FORMS:
                # a body goes by its initials (FBI, CISF); a company by its name
                name, full = full, name
            elif not full:  # the initials of its last words: "Corporate Affairs Commission"
                full = _only(initials.get(("end", name), ()), name)
        if full and name in found and full in found:
            short = found.pop(name)
            found[full].count += short.count
            found[full].mid_sentence += short.mid_sentence
            found[full].in_lede |= short.in_lede
            merged[name] = full
        elif len(by_surname.get(name, ())) > 1 and not is_place(name):
            del found[name]  # which of them?
    return merged


def _merge_short_forms(found: dict[str, Mention]) -> None:
    """A company's short form goes into its full name in the same story: "Con Ed" and "Con
    Edison" into "Consolidated Edison Co of New York Inc", "North American Coal" into
    "North American Coal Co"."""
    bodies: dict[str, list[str]] = {}  # by first letter: a short form starts the same
    for key in found:
        if " " in key and not _BODY_END.isdisjoint(key.lower().split()):
            bodies.setdefault(key[0], []).append(key)
    if not bodies:
        return
    for name in [k for k in found if " " in k and k[0] in bodies]:
        fulls = [full for full in bodies[name[0]] if full != name and _short_form(name, full)]
        if len(fulls) == 1 and name in found and not is_place(name):
            short, kept = found.pop(name), found[fulls[0]]
            kept.count += short.count
            kept.mid_sentence += short.mid_sentence
            kept.in_lede |= short.in_lede
            kept.first = min(kept.first, short.first)


_BODY_END = _COMPANY_FORMS | ORGANISATION_WORDS


def _short_form(name: str, full: str) -> bool:
    """Whether ``name`` is ``full`` cut short: its words start ``full``'s first words, and
    at least one is abbreviated, or only a company form ("Co", "Inc") is left off."""
    words, long = name.split(), full.split()
    pairs = list(zip(words, long, strict=False))
    if len(words) > len(long) or any(not b.startswith(a) for a, b in pairs):
        return False
    rest = [w.lower() for w in long[len(words) :]]
    if any(len(a) < len(b) for a, b in pairs):
        return len(words[0]) >= 3  # "Con Ed"; not an initial alone
    return bool(rest) and all(w in _COMPANY_FORMS for w in rest)


def _a_body(name: str) -> bool:
    words = name.lower().split()
    return "of" in words or len(words) > 3 or any(w in ORGANISATION_WORDS for w in words)


def _merge_spellings(found: dict[str, Mention]) -> None:
    """One name spelt two ways in one story ("Gayatri Raghuram", "Gayathri Raguram", as
    transliterations go) is one topic: the spelling seen first."""
    buckets: dict[tuple, list[str]] = {}  # the regular expression only where names could agree
    for name in found:
        if " " in name:
            words = name.split()
            buckets.setdefault((len(words), name[0], words[-1][0]), []).append(name)
    seen: dict[str, str] = {}
    for name in (n for bucket in buckets.values() if len(bucket) > 1 for n in bucket):
        key = _SPELLING_NOISE.sub("", name.lower())
        if key not in seen:
            seen[key] = name
            continue
        other = found.pop(name)
        kept = found[seen[key]]
        kept.count += other.count
        kept.mid_sentence += other.mid_sentence
        kept.in_lede |= other.in_lede


# An "h" after a consonant and a doubled letter: what transliterations disagree on.
_SPELLING_NOISE = re.compile(r"(?<=[bcdgjkprt])h|(?<=(.))\1")


def _only(names, name: str) -> str | None:
    return names[0] if len(names) == 1 and names[0] != name else None


def _by_initials(found: dict[str, Mention]) -> dict[str, list[str]]:
    """Names of three words or more by their initials: "Shah Rukh Khan" by SRK."""
    index: dict[str, list[str]] = {}
    for key in found:
        words = [
            w
            for w in key.split()
            if w not in CONNECTORS and w != "and" and w.lower() not in _COMPANY_FORMS
        ]
        company = len(words) < len(key.split()) and key.split()[-1].lower() in _COMPANY_FORMS
        if len(words) >= 3 or (len(words) == 2 and company):  # "General Motors Corp" by GM
            index.setdefault("".join(w[0] for w in words), []).append(key)
            if any(len(w) > 1 and w.isupper() for w in words):
                index.setdefault("".join(w if w.isupper() else w[0] for w in words), []).append(key)
        if len(words) >= 4 and words[-1].lower() in ORGANISATION_WORDS:
            for start in range(1, len(words) - 2):  # "… Corporate Affairs Commission" by CAC
                index.setdefault(("end", "".join(w[0] for w in words[start:])), []).append(key)
    return index


def key_phrases(paragraphs: tuple[str, ...], limit: int, title: str = "") -> list[str]:
    """Frequent content words, for stories with too few names; a word of the headline
    counts more (it is what the story is about)."""
    words = Counter(_content_words(" ".join(paragraphs)))
    for word in set(_content_words(title)) & words.keys():
        words[word] += words[word] >= 2  # a tie-break, not a verb of the headline alone
    ranked = sorted(words.items(), key=lambda kv: -kv[1])  # stable: first seen first
    return [w for w, n in ranked[:limit] if n >= 2]


def _content_words(text: str) -> list[str]:
    return [
        w.lower()
        for w in _TOKEN.findall(text)
        if len(w) >= 5
        and w.isalpha()
        and w.lower() not in _NOT_KEY_WORDS
        and not w.endswith(("ed", "ly"))  # verbs and adverbs ("respectively"), not themes
    ]


# A party or a nationality is a name's adjective ("republican", "swiss"), a role is no
# theme ("actor"): names_in finds the names themselves.
_NOT_KEY_WORDS = STOPWORDS | GENERIC | DEMONYMS.keys() | ALIASES.keys() | TITLES | OCCUPATIONS


def extract(title: str, paragraphs: tuple[str, ...], least: int = 3, most: int = 8) -> list[str]:
    """``least`` to ``most`` topics, best first (fewer only when the text has no more)."""
    ranked = sorted(mentions(title, paragraphs).values(), key=lambda m: (-m.score, m.first))
    topics, keys = [], set()
    for mention in ranked:
        key = topic_key(mention.name)
        if key in keys or (_credit(mention.name) and not (mention.in_title and " " in key)):
            continue  # "Democrat" after "Democrats"; "Reuters", "Getty Images"
        if _publication(mention.name):
            continue  # "told Hindustan Times", "…: Politico": a source, or the site itself
        keys.add(key)
        topics.append(mention.name)
        if len(topics) == most:
            break
    topics = _without_parts(topics)
    if len(topics) < least:
        taken = {w for t in topics for w in t.lower().split()}  # not "shamita" again
        extra = [w for w in key_phrases(paragraphs, most, title) if w not in taken]
        topics += extra[: least - len(topics)]
    return topics


def _credit(name: str) -> bool:
    """An agency or picture credit: "Reuters", "Getty Images", "Xinhua News Agency"."""
    key = name.lower()
    if key in NOT_TOPICS:
        return True
    if " " not in key:
        return False
    words = key.split()
    return len(words) > 1 and words[0] in AGENCY_NAMES and words[1] in _CREDIT_WORDS


# "BBC Radio Five Live", "Xinhua News Agency", "AP Photo": an agency's outlets and credits.
_CREDIT_WORDS = frozenset(
    "agency news tv television photo photos pictures radio online world".split()
)


def _publication(name: str) -> bool:
    """A newspaper, channel or site: "Hindustan Times", "The Guardian", "India Today", "Fox
    News", "Daily Mail"; a story quotes them (or is theirs), it is rarely about them."""
    key = name.lower()
    last = key[key.rfind(" ") + 1 :]
    return last in _MASTHEAD_WORDS or (last in _PUBLICATION_ENDS and key in PUBLICATIONS)


_MASTHEAD_WORDS = frozenset(
    """
    times post news journal herald tribune telegraph guardian chronicle gazette observer
    today magazine
    """.split()
)
# Publications whose last word is also an ordinary name's ("Royal Mail", "Haldia Express").
PUBLICATIONS = frozenset(
    name.strip()
    for name in """
    daily mail|mail online|mail today|daily mirror|mumbai mirror|daily express|indian express|
    new indian express|financial express|evening standard|hindu businessline|breitbart|
    politico|axios|livemint|firstpost|ndtv|deccan herald|bangor daily|china daily|new yorker|
    vanity fair|rolling stone|buzzfeed|huffpost|business insider|vox|the atlantic|cnbc|msnbc|
    nbc|cbs|fox|fox business|c-span|wsj
    """.split("|")
)
# A run that can be a publication ends with one of these.
_PUBLICATION_ENDS = _MASTHEAD_WORDS | {name.rsplit(" ", 1)[-1] for name in PUBLICATIONS}


def _without_parts(topics: list[str]) -> list[str]:
    """Topics without a name that is the start or the end of another one: "Trump" beside
    "Donald Trump", "Sana" and "Taylor" (also towns) beside "Sana Khan" and "Simon Taylor";
    a place stays beside a place or a body ("Delhi" beside "New Delhi", "Delhi Police")."""
    if len(topics) < 2:
        return topics
    padded = [f" {t} " for t in topics]
    kept = []
    for topic in topics:
        inner = f" {topic} "
        wholes = [
            other[1:-1]
            for other in padded
            if other != inner and (other.startswith(inner) or other.endswith(inner))
        ]
        if (
            not wholes
            or is_qualifier(topic)
            or (is_place(topic) and not any(map(_a_person, wholes)))
        ):
            kept.append(topic)
    return kept


def _a_person(name: str) -> bool:
    """A name of two or three words that is not a place's or a body's."""
    words = name.split()
    return (
        len(words) in (2, 3)
        and not is_place(name)
        and not any(w.lower() in ORGANISATION_WORDS or w in CONNECTORS for w in words)
    )


@cache  # called for every topic of every story, on a few thousand distinct names
def topic_key(topic: str) -> str:
    """Spellings that differ only in case, spaces, punctuation or a plural s share a key."""
    key = "".join(ch for ch in topic.lower() if ch.isalnum())
    if key.endswith("s") and (len(key) > 3 or topic[:-1].isupper()):
        return key[:-1]  # "Taxes", "RCs"
    return key


def canonical_spellings(topic_lists) -> dict[str, str]:
    """Map each topic key to the spelling most stories use."""
    spellings: dict[str, Counter] = {}
    for topics in topic_lists:
        for topic in topics:
            spellings.setdefault(topic_key(topic), Counter())[topic] += 1
    return {
        key: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for key, counter in spellings.items()
    }
