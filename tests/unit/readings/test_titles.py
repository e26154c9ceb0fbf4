"""Titles read as a person reads them: a table of real-world titles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.errors import ConfigError
from graph.model import Function, Seniority
from graph.readings.titles import load_lexicon, read_title

TABLE = Path(__file__).with_name("titles.csv")
ROWS = list(csv.DictReader(TABLE.read_text(encoding="utf-8").splitlines()))


def test_the_table_is_big_and_speaks_our_words():
    assert len(ROWS) >= 200
    functions, levels = {str(f) for f in Function}, {str(s) for s in Seniority}
    for row in ROWS:
        assert row["function"] in functions | {""}, row
        assert row["level"] in levels | {""}, row


@pytest.mark.parametrize("row", ROWS, ids=[r["title"] for r in ROWS])
def test_real_world_title(row: dict[str, str]):
    t = read_title(row["title"])
    assert (t.function or "", t.level or "") == (row["function"], row["level"])


@pytest.mark.parametrize(
    ("a", "b"),
    [("Engineering Manager", "Engineer Manager"), ("VP, IT", "Vice-President of IT"),
     ("Sr. Director, Finance & Ops", "Director of Finance and Operations"),
     ("CTO", "Chief Technology Officer"), ("AP Manager", "Accounts Payable Manager")],
)
def test_spellings_of_one_title_read_alike(a: str, b: str):
    ta, tb = read_title(a), read_title(b)
    assert (ta.function, ta.level) == (tb.function, tb.level)


def test_an_unreadable_title_says_nothing():
    for text in (None, "", "  ", "???"):
        t = read_title(text)
        assert not t.understood and t.describe() == ""


def test_a_lexicon_with_an_unknown_level_is_refused(tmp_path: Path):
    bad = tmp_path / "titles.toml"
    bad.write_text('[levels]\n"boss" = "Overlord"\n')
    with pytest.raises(ConfigError, match="Overlord"):
        load_lexicon(bad)
