#!/usr/bin/env python3
"""Generate crates/ingest/data/given_names.txt.

Sources (both installable from PyPI):
  * `names` 0.3.0 (MIT licence): bundles the US Census Bureau 1990 first-name
    frequency lists dist.male.first / dist.female.first (US government work,
    public domain).
  * `Faker` (MIT licence): first-name lists of its person providers for many
    locales (en, en_GB, en_IE, en_IN, en_KE, en_NG, en_PK, de_DE, fr_FR, es_*,
    it_IT, pt_*, pl_PL, cs_CZ, sk_SK, hu_HU, ro_RO, hr_HR, sl_SI, tr_TR, az_AZ,
    uz_UZ, id_ID, vi_VN, fil/tl, sw, yo_NG, ig_NG, ha_NG, zu_ZA, tw_GH, ...).
    Latin-script names are kept as they are; ja_JP and zh_* contribute their
    romanized lists; Cyrillic names of ru_RU, uk_UA, bg_BG (mk_MK) are
    romanized in press style by this script (Dmitry, Sergei, Volodymyr,
    Oleksandr). Other non-Latin lists (ar_*, el_GR, ko_KR, hi_IN, ...) are
    skipped: their Latin-script counterparts come from en_IN, en_PK, ...

Install:  pip install names faker wordfreq ; apt-get install wamerican
Usage:    python3 scripts/lexicons/gen_given_names.py > crates/ingest/data/given_names.txt

Filtering: Latin letters (diacritics allowed) plus ' and -, length >= 2,
written Capitalised (first letter upper, rest as in the source if already
mixed case, e.g. "McKenzie", "DeShawn"; ALL-CAPS census names are
title-cased). English function words (a/an/the/in/on/...) are removed.
A name that is also a frequent English word (wordfreq Zipf >= 3.5 and listed
in lowercase in the SCOWL word list /usr/share/dict/american-english, Debian
package wamerican) is kept only if the 1990 Census gives it a frequency of at
least 0.010 % (keeps Mark, Will, Grace, Hope, Joy...; drops Said, Can, Made,
Major, Numbers, Season... which would make ordinary words look like names).
"""
import importlib
import os
import pkgutil
import re
import sys

import faker.providers.person as person_pkg
import names as names_pkg
from wordfreq import zipf_frequency

DICT = "/usr/share/dict/american-english"
MIN_CENSUS_PCT = 0.010
MIN_ZIPF = 3.5

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ][A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’\-]*[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]$")

# Never emit these: English function words that some locale lists contain as names.
FUNCTION_WORDS = {
    "a", "an", "the", "in", "on", "at", "to", "of", "by", "for", "with", "from", "as",
    "and", "or", "but", "nor", "so", "if", "is", "it", "he", "she", "we", "me", "my",
    "us", "our", "be", "do", "no", "not", "up", "all", "any", "one", "his", "her", "its",
    "this", "that", "was", "has", "had", "are", "were", "been", "than", "then", "there",
    "they", "them", "who", "why", "how", "what", "when", "where", "which", "you", "your",
    # particles / abbreviations / words that some locale lists contain but are not names in English text
    "el", "le", "la", "un", "na", "ok", "ai", "nazi", "muslim", "christ", "brain", "de", "da", "di",
}


CENSUS_PCT = {}


def census():
    base = os.path.dirname(names_pkg.__file__)
    out = []
    for fn in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(base, fn), encoding="ascii") as fh:
            for line in fh:
                parts = line.split()
                if parts:
                    n = parts[0].capitalize()
                    CENSUS_PCT[n] = max(CENSUS_PCT.get(n, 0.0), float(parts[1]))
                    out.append(n)
    return out


def lowercase_words():
    if not os.path.exists(DICT):
        sys.exit(f"{DICT} missing: apt-get install wamerican")
    with open(DICT, encoding="utf-8") as fh:
        return {w.strip() for w in fh if w.strip() and w.strip().islower()}


# Press-style romanisation of Cyrillic given names (close to BGN/PCGN and the
# AP/Reuters forms: Dmitry, Sergei, Andrei, Yevgeny, Volodymyr, Oleksandr).
CYR_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ј": "j", "љ": "lj", "њ": "nj",
    "ћ": "ć", "ђ": "đ", "џ": "dž", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}
CYR_LOCALE = {
    "ru_RU": {},
    "uk_UA": {"г": "h", "и": "y", "е": "e", "х": "kh"},
    "bg_BG": {"ъ": "a", "щ": "sht", "х": "h"},
    "mk_MK": {"х": "h", "ц": "c", "ч": "č", "ш": "š", "ж": "ž"},
    "sr_RS": {"х": "h", "ц": "c", "ч": "č", "ш": "š", "ж": "ž"},
}


def romanize_cyrillic(name, locale):
    table = dict(CYR_COMMON)
    table.update(CYR_LOCALE[locale])
    low = name.lower()
    if locale == "ru_RU":
        # word-final -ий/-ый -> -y, -ей -> -ei, -ай -> -ai, -ой -> -oi; initial е -> ye
        for a, b in (("ий", "y"), ("ый", "y"), ("ей", "ei"), ("ай", "ai"), ("ой", "oi")):
            if low.endswith(a):
                low = low[: -len(a)] + "\x00" + b
        if low.startswith("е"):
            low = "ye" + low[1:]
    if locale == "uk_UA":
        for a, b in (("ій", "iy"), ("ий", "yi")):
            if low.endswith(a):
                low = low[: -len(a)] + "\x00" + b
    out = "".join(table.get(ch, ch) for ch in low).replace("\x00", "")
    if re.search("[\u0400-\u04ff]", out):
        return None
    return out.capitalize()


def faker_names():
    out = []
    for m in pkgutil.iter_modules(person_pkg.__path__):
        mod = importlib.import_module("faker.providers.person." + m.name)
        prov = getattr(mod, "Provider", None)
        if prov is None:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
                     "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female"):
            v = getattr(prov, attr, None)
            if isinstance(v, dict):
                v = list(v.keys())
            if not isinstance(v, (list, tuple)):
                continue
            for x in v:
                if not isinstance(x, str):
                    continue
                if m.name in CYR_LOCALE and re.search("[\u0400-\u04ff]", x):
                    x = romanize_cyrillic(x, m.name)
                    if not x:
                        continue
                out.append(x)
    return out


def norm(n):
    n = n.strip().replace("’", "'")
    if not LATIN.match(n):
        return None
    if n.isupper() or n.islower():
        n = "-".join(p.capitalize() for p in n.split("-"))
    elif not n[0].isupper():
        n = n[0].upper() + n[1:]
    if n.lower() in FUNCTION_WORDS:
        return None
    return n


def main():
    seen = set()
    result = []
    lower = lowercase_words()
    for n in census() + faker_names():
        n = norm(n)
        if n and n.lower() in lower and zipf_frequency(n.lower(), "en") >= MIN_ZIPF \
                and CENSUS_PCT.get(n, 0.0) < MIN_CENSUS_PCT:
            continue
        if n and n not in seen:
            seen.add(n)
            result.append(n)
    result.sort(key=lambda s: (s.lower(), s))
    w = sys.stdout.write
    w("# given_names.txt - common given (first) names worldwide, one per line, Capitalised, sorted.\n")
    w("# Used as evidence that a capitalised token starts a person name. Many are also ordinary words\n")
    w("# (Will, Mark, Grace, Hope, June...): presence here does not make a token a name by itself.\n")
    w("# Sources: US Census Bureau 1990 first-name lists (public domain) as bundled in the PyPI package\n")
    w("#   `names` 0.3.0 (MIT); first-name lists of the PyPI package `Faker` (MIT), Latin-script locales + romanized ja/zh lists + Cyrillic (ru/uk/bg) romanized by the script.\n")
    w("# Names that are also frequent English words (per wordfreq + SCOWL) are kept only if common in the US Census list.\n")
    w("# Generated by scripts/lexicons/gen_given_names.py - edit the script, not this file.\n")
    for n in result:
        w(n + "\n")


if __name__ == "__main__":
    main()
