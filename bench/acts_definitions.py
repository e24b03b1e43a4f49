"""Definition questions on acts: the terms the served acts define, asked as people ask them.

usage: BILEX_SOURCES_DIR=... BILEX_DATA_DIR=... PYTHONPATH=. .venv/bin/python
       bench/acts_definitions.py [--n 100] [--seed 3]

Over a built corpus holding acts (e.g. the directory `bench/acts_scale.py --work` leaves, or
`../shared/eval/acts_notes.py --keep`), takes `--n` of the terms the acts define (a definition
tagged with the other language's term, `corpus.bitext.glossary.defined_terms`) and asks each in
English and in French in three forms: the term alone ("What is a claimant?"), with the act's
title ("What is a claimant under the Widget Act?", "Que veut dire « prestataire » selon Loi
sur les gadgets ?") and with its initials where it has some ("What does claimant mean in the
WA?"). Prints, per form and language, how often the first result opens the term's definition
(in the named act for the last two forms; in any act for the first). The question forms use
the profile's definition cues and tails, so these figures show what those phrases reach, not
how people's own wording fares.
"""

from __future__ import annotations

import argparse
import logging
import random
from collections import defaultdict

from api.build import load_bot
from api.settings import Settings
from bot.references import acronyms, law_name
from corpus.bitext.glossary import UnitText, defined_terms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    bot = load_bot(Settings())
    sources = {s.file: s for s in bot.corpus.sources}
    titles = {}
    for unit in bot.corpus.units:
        source = sources.get(unit.en.source)
        if source is not None and source.kind == "statute" and unit.article not in titles:
            titles[unit.article] = {lang: law_name(source, lang) for lang in ("en", "fr")}
    units = [UnitText(u.id, u.fr.text, u.en.text, u.section) for u in bot.corpus.units]
    entries = [e for e in defined_terms(units) if bot.units[e.units[0]].article in titles]
    by_term: dict[tuple[str, str], set[str]] = defaultdict(set)  # (lang, term) -> opening units
    for e in entries:
        by_term[("en", e.en.lower())].update(e.units)
        by_term[("fr", e.fr.lower())].update(e.units)
    random.Random(args.seed).shuffle(entries)
    entries = entries[:args.n]
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for e in entries:
        act = bot.units[e.units[0]].article
        named = titles[act]
        for lang, term in (("en", e.en), ("fr", e.fr)):
            title = named[lang]
            short = sorted(acronyms(title), key=len)
            forms = {"term alone": (f"What is {term}?" if lang == "en"
                                    else f"Qu'est-ce que « {term} » ?"),
                     "with the title": (f"What is {term} under the {title}?" if lang == "en"
                                        else f"Que veut dire « {term} » selon {title} ?")}
            if short:
                forms["with initials"] = (f"What does {term} mean in the {short[0]}?"
                                          if lang == "en" else
                                          f"Qu'est-ce que « {term} » au sens de la {short[0]} ?")
            for form, question in forms.items():
                answer = bot.ask(question, lang, 3)
                first = answer.results[0].id if answer.answered and answer.results else None
                want = (by_term[(lang, term.lower())] if form == "term alone"
                        else {u for u in by_term[(lang, term.lower())]
                              if bot.units[u].article == act})
                hits[(form, lang)].append(first in want)
    for (form, lang), got in sorted(hits.items()):
        print(f"{form:>15} {lang}: definition first {sum(got) / len(got):.3f} "
              f"({sum(got)}/{len(got)})")


if __name__ == "__main__":
    main()
