"""Job titles read as a person reads them: a function and a level.

``read_title("VP, Finance & Operations")`` is ``Title(function="Finance", level="VP")``.
The lexicon is data (``graph/readings/rules/titles.toml``); this module applies it:

1. **clean**: lower case; ``&`` reads "and"; a spaced dash, commas, slashes and brackets
   separate parts; a bare hyphen joins (``Co-Founder``, ``Vice-President``);
2. **spell out** abbreviations (``CTO`` -> chief technology officer, ``AP``, ``IT``...);
3. **stem**: ``engineers`` -> engineer, ``facilities`` -> facility (except the words the
   lexicon keeps: ``accounting`` is not ``account``), and drop noise (``Sr.``, ``II``);
4. **level**: the highest level phrase in the title (``chief``, ``vice president``,
   ``head``, ``director``, ``manager``...); an assistant *to* someone, or a title
   whose only level word is a role noun (``engineer``, ``specialist``), is an individual
   contributor;
5. **function**: the title splits into parts at ``of``, ``for``, ``and``, commas...
   ("Director | of IT"); the first part that names a domain and holds no level word
   wins (so "Executive Vice President, Sales" is Sales), else the first part naming a
   domain; within a part the last domain word is the head ("IT Procurement Manager"
   is Procurement). A title naming no domain takes the function its role noun implies
   (``Accountant``: Finance, ``Software Engineer``: software, R&D; ``Engineer``: R&D);
   a bare C-level or VP title is Executive.

Functions are :class:`graph.model.Function` values, levels :class:`graph.model.Seniority`
values; either is None when the title does not say.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.errors import ConfigError

LEXICON_FILE = Path(__file__).parent / "rules" / "titles.toml"

LEVEL_RANK = {"C-level": 0, "VP": 1, "Director": 2, "Manager": 3, "Individual contributor": 4}
# Words that split a title into parts; "|" stands for punctuation.
_SEPARATORS = frozenset({"|", "and", "of", "for", "to", "at", "in", "with", "on", "plus"})
_SPLIT = re.compile(r"\s[-\u2013\u2014]\s|[,/;:|()\[\]\u2013\u2014+]")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Title:
    """What a title says: function and level (None when it does not say)."""

    text: str
    function: str | None
    level: str | None
    words: tuple[str, ...] = ()  # cleaned, stemmed words, noise kept (for keyword matches)

    @property
    def understood(self) -> bool:
        return self.function is not None or self.level is not None

    def describe(self) -> str:
        """``"C-level, IT"``, ``"Manager, Finance"``, ``"Director"``."""
        return ", ".join(x for x in (self.level, self.function) if x)


@dataclass(frozen=True, eq=False)  # hashed by identity: titles are memoised per lexicon
class Lexicon:
    """The title lexicon, every phrase already cleaned like a title."""

    abbreviations: dict[str, tuple[str, ...]]
    keep: frozenset[str]
    noise: frozenset[str]
    levels: dict[tuple[str, ...], str]
    functions: dict[tuple[str, ...], str]
    roles: dict[tuple[str, ...], str]
    individual: frozenset[str]
    longest: int


def stem(word: str, keep: frozenset[str] = frozenset()) -> str:
    """``engineers`` -> engineer, ``facilities`` -> facility, ``managing`` -> manag.

    >>> stem("Engineers".lower()), stem("facilities"), stem("sales", frozenset({"sales"}))
    ('engineer', 'facility', 'sales')
    """
    if word in keep or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(text: str, lex: Lexicon | None, noise: bool = False) -> list[str]:
    """Cleaned, spelled-out, stemmed words with "|" where punctuation separated parts
    (``noise``: keep the noise words, for matching whole phrases such as "senior analyst")."""
    text = text.lower().replace("&", " and ").replace("'s", "").replace(".", " ")
    text = _SPLIT.sub(" | ", text).replace("-", " ")
    out: list[str] = []
    for raw in text.split():
        if raw == "|":
            out.append(raw)
            continue
        for word in _WORD.findall(raw):
            spelled = lex.abbreviations.get(word) if lex else None
            for w in spelled or (word,):
                s = stem(w, lex.keep if lex else frozenset())
                if noise or lex is None or s not in lex.noise:
                    out.append(s)
    return out


def _phrases(table: object, lex: Lexicon | None) -> dict[tuple[str, ...], str]:
    assert isinstance(table, dict)
    return {tuple(_tokens(k, lex)): str(v) for k, v in table.items()}


@lru_cache(maxsize=4)
def load_lexicon(path: Path | str = LEXICON_FILE) -> Lexicon:
    """The lexicon of ``titles.toml`` (or a team's copy), phrases cleaned once."""
    with Path(path).open("rb") as fh:
        raw = tomllib.load(fh)
    keep = frozenset(raw.get("keep", []))
    abbreviations = {
        k.lower(): tuple(str(v).lower().split()) for k, v in raw.get("abbreviations", {}).items()
    }
    base = Lexicon(abbreviations, keep, frozenset(), {}, {}, {}, frozenset(), 1)
    noise = frozenset(stem(w, keep) for w in raw.get("noise", []))
    levels = _phrases(raw.get("levels", {}), base)
    functions = _phrases(raw.get("functions", {}), base)
    roles = _phrases(raw.get("roles", {}), base)
    unknown = sorted(v for v in levels.values() if v not in LEVEL_RANK)
    if unknown:
        raise ConfigError(f"{path}: [levels] {unknown[0]!r} is not a level; use one of "
                          f"{', '.join(LEVEL_RANK)}")
    longest = max(len(k) for t in (levels, functions, roles) for k in t)
    return Lexicon(
        abbreviations=abbreviations, keep=keep, noise=noise, levels=levels,
        functions=functions, roles=roles,
        individual=frozenset(stem(w, keep) for w in raw.get("individual", [])),
        longest=longest,
    )


def _matches(words: list[str], table: dict[tuple[str, ...], str], longest: int
             ) -> list[tuple[int, int, str]]:
    """(start, end, value) of the table's phrases in ``words``, longest first, no overlap."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = table.get(tuple(words[i:i + n]))
            if hit is not None and words[i] != "|":
                out.append((i, i + n, hit))
                i += n
                break
        else:
            i += 1
    return out


def _part_of(words: list[str]) -> list[int]:
    """The part (split at separators) each word belongs to."""
    part, out = 0, []
    for w in words:
        if w in _SEPARATORS:
            part += 1
        out.append(part)
    return out


def read_title(title: str | None, lexicon: Lexicon | None = None) -> Title:
    """Function and level of a job title (see the module docstring).

    >>> t = read_title("Sr. Director, IT & Security")
    >>> t.level, t.function
    ('Director', 'IT')
    >>> read_title("CTO").describe()
    'C-level, IT'
    >>> read_title("AP Manager").describe()
    'Manager, Finance'
    """
    lex = lexicon or load_lexicon()
    return _read(title or "", lex)


@lru_cache(maxsize=20_000)
def _read(title: str, lex: Lexicon) -> Title:
    words = _tokens(title, lex)
    if not any(w != "|" for w in words):
        return Title(title, None, None)
    part = _part_of(words)
    levels = _matches(words, lex.levels, lex.longest)
    # A "to"/"of" right after "assistant" makes the assistant the person, whoever it is
    # they assist ("Assistant to the CFO", "Executive Assistant").
    assisting = any(
        w == "assistant" and (i + 1 == len(words) or words[i + 1] in _SEPARATORS)
        for i, w in enumerate(words)
    )
    level: str | None = None
    if assisting:
        level = "Individual contributor"
    elif levels:
        level = min((v for _, _, v in levels), key=LEVEL_RANK.__getitem__)
    elif any(w in lex.individual for w in words):
        level = "Individual contributor"
    level_parts = {part[s] for s, _, _ in levels}
    domains = _matches(words, lex.functions, lex.longest)
    function: str | None = None
    if domains:
        parts = sorted({part[s] for s, _, _ in domains},
                       key=lambda p: (p in level_parts, p))
        best = parts[0]
        function = [v for s, _, v in domains if part[s] == best][-1]
    else:
        roles = _matches(words, lex.roles, lex.longest)
        if roles:
            function = roles[0][2]
        elif level in ("C-level", "VP"):
            function = "Executive"
    said = tuple(w for w in _tokens(title, lex, noise=True) if w not in _SEPARATORS)
    return Title(title, function, level, said)


def title_words(text: str, lexicon: Lexicon | None = None) -> tuple[str, ...]:
    """A keyword cleaned like a title's words, to find it in :attr:`Title.words`."""
    lex = lexicon or load_lexicon()
    return tuple(w for w in _tokens(text, lex, noise=True) if w not in _SEPARATORS)
