"""Firmographics in our words: regions for countries, our size and revenue bands.

CRMs give a company's country ("United States", "DE") where we segment by region
("North America", "EMEA"), and band employees and revenue their own way ("5001+",
"100M-1B") where ours are ``5000+`` and ``$250M-$1B``. Mixed, one segment splits in
two and every mix and filter by segment is wrong. So an imported value is put in our
words here when it can be (a country to its region, a count or another system's band
to ours) and left as it is when it cannot.

A mapping overrides this: a value its ``values`` table maps is taken as given
(:meth:`seed.imports.mapping.FieldRule.translate` asks the table first).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from seed.generator.vocab import REGIONS, REVENUE_BANDS, SIZE_BANDS

# (upper bound, our band), as the demo world and the readings' segments use them.
SIZE_UPPER = ((50, "1-50"), (200, "51-200"), (1000, "201-1000"), (5000, "1001-5000"),
              (float("inf"), "5000+"))
REVENUE_UPPER = ((1e7, "<$10M"), (5e7, "$10M-$50M"), (2.5e8, "$50M-$250M"), (1e9, "$250M-$1B"),
                 (float("inf"), "$1B+"))
assert tuple(b for _, b in SIZE_UPPER) == SIZE_BANDS
assert tuple(b for _, b in REVENUE_UPPER) == REVENUE_BANDS

_NA, _EMEA, _APAC, _LATAM = REGIONS
# Countries (English names, ISO 3166 alpha-2 and alpha-3 codes, common other names)
# to our regions. Mexico is LATAM, as sales teams usually count it.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    _NA: ("United States", "US", "USA", "United States of America", "America", "U.S.",
          "U.S.A.", "Canada", "CA", "CAN", "Puerto Rico", "PR", "PRI"),
    _LATAM: ("Mexico", "MX", "MEX", "Brazil", "BR", "BRA", "Argentina", "AR", "ARG", "Chile",
             "CL", "CHL", "Colombia", "CO", "COL", "Peru", "PE", "PER", "Uruguay", "UY", "URY",
             "Venezuela", "VE", "VEN", "Ecuador", "EC", "ECU", "Costa Rica", "CR", "CRI",
             "Panama", "PA", "PAN", "Guatemala", "GT", "GTM", "Dominican Republic", "DO", "DOM",
             "Bolivia", "BO", "BOL", "Paraguay", "PY", "PRY", "Latin America"),
    _EMEA: ("United Kingdom", "UK", "GB", "GBR", "Great Britain", "England", "Scotland",
            "Wales", "Northern Ireland", "Ireland", "IE", "IRL", "Germany", "DE", "DEU",
            "France", "FR", "FRA", "Spain", "ES", "ESP", "Italy", "IT", "ITA", "Portugal", "PT",
            "PRT", "Netherlands", "NL", "NLD", "The Netherlands", "Holland", "Belgium", "BE",
            "BEL", "Luxembourg", "LU", "LUX", "Switzerland", "CH", "CHE", "Austria", "AT",
            "AUT", "Sweden", "SE", "SWE", "Norway", "NO", "NOR", "Denmark", "DK", "DNK",
            "Finland", "FI", "FIN", "Iceland", "IS", "ISL", "Poland", "PL", "POL",
            "Czech Republic", "Czechia", "CZ", "CZE", "Slovakia", "SK", "SVK", "Hungary", "HU",
            "HUN", "Romania", "RO", "ROU", "Bulgaria", "BG", "BGR", "Greece", "GR", "GRC",
            "Croatia", "HR", "HRV", "Slovenia", "SI", "SVN", "Serbia", "RS", "SRB", "Estonia",
            "EE", "EST", "Latvia", "LV", "LVA", "Lithuania", "LT", "LTU", "Ukraine", "UA", "UKR",
            "Turkey", "Türkiye", "TR", "TUR", "Israel", "IL", "ISR", "United Arab Emirates",
            "UAE", "AE", "ARE", "Saudi Arabia", "SA", "SAU", "Qatar", "QA", "QAT", "Kuwait",
            "KW", "KWT", "Bahrain", "BH", "BHR", "Oman", "OM", "OMN", "Egypt", "EG", "EGY",
            "South Africa", "ZA", "ZAF", "Nigeria", "NG", "NGA", "Kenya", "KE", "KEN",
            "Morocco", "MA", "MAR", "Ghana", "GH", "GHA", "Cyprus", "CY", "CYP", "Malta", "MT",
            "MLT", "Europe", "Middle East", "Africa", "EU"),
    _APAC: ("Japan", "JP", "JPN", "China", "CN", "CHN", "India", "IN", "IND", "Australia",
            "AU", "AUS", "New Zealand", "NZ", "NZL", "Singapore", "SG", "SGP", "South Korea",
            "Korea", "Republic of Korea", "KR", "KOR", "Hong Kong", "HK", "HKG", "Taiwan", "TW",
            "TWN", "Indonesia", "ID", "IDN", "Malaysia", "MY", "MYS", "Thailand", "TH", "THA",
            "Philippines", "PH", "PHL", "Vietnam", "Viet Nam", "VN", "VNM", "Pakistan", "PK",
            "PAK", "Bangladesh", "BD", "BGD", "Sri Lanka", "LK", "LKA", "Asia", "Asia Pacific",
            "Oceania"),
}
_REGION_OF = {name.casefold(): region for region, names in _COUNTRIES.items()
              for name in names}
_REGION_OF.update({r.casefold(): r for r in REGIONS})
_REGION_OF.update({"na": _NA, "north america": _NA, "amer": _NA, "americas": _NA,
                   "latam": _LATAM, "emea": _EMEA, "apac": _APAC, "asia-pacific": _APAC})

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*([kmb]|bn|mm)?", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}


def region(value: str) -> str:
    """Our region for a country or region name or code; the value itself when unknown."""
    return _REGION_OF.get(value.strip().casefold(), value)


def _numbers(value: str) -> list[float]:
    """The amounts a band or count names: "100M-1B" -> [1e8, 1e9]; "5,001+" -> [5001]."""
    text = value.replace(",", "").replace("$", "").replace("€", "").replace("£", "")
    out = []
    for number, unit in _NUMBER.findall(text):
        amount = float(number)
        out.append(amount * _SCALE.get(unit.casefold(), 1.0) if unit else amount)
    # "10-50M": the unit of the upper bound is the lower's too.
    units = [u for _, u in _NUMBER.findall(text)]
    if len(out) == 2 and not units[0] and units[1]:
        out[0] *= _SCALE[units[1].casefold()]
    return out


def _band(value: str, ours: tuple[tuple[float, str], ...]) -> str:
    """A count, an amount or another system's band as ours; the value when it is neither."""
    known = {label.casefold(): label for _, label in ours}
    if value.strip().casefold() in known:
        return known[value.strip().casefold()]
    numbers = _numbers(value)
    if not numbers:
        return value
    text = value.strip()
    if text.startswith("<"):
        at = numbers[0] * 0.999  # "<1M": under the bound
    elif text.endswith("+"):
        at = numbers[0] * 1.0001  # "1B+", "5001+": above the bound
    elif len(numbers) >= 2:
        # A range: its geometric middle, as bands grow by factors ("10M-100M" -> 32M).
        at = (max(numbers[0], 1.0) * numbers[1]) ** 0.5
    else:
        at = numbers[0]  # a count or an amount
    return next(label for upper, label in ours if at <= upper)


def size_band(value: str) -> str:
    """Employees (a count or another system's band) as our size band."""
    return _band(value, SIZE_UPPER)


def revenue_band(value: str) -> str:
    """Annual revenue (an amount or another system's band) as our revenue band."""
    return _band(value, REVENUE_UPPER)


#: company fields put in our words on import, and how
NORMALISERS: dict[str, Callable[[str], str]] = {
    "region": region,
    "size_band": size_band,
    "revenue_band": revenue_band,
}
