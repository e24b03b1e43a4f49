"""The `bilex` command line: build, serve, ask, pairs, align, eval, calibrate.

Bad input exits 2 with one line on stderr that says what to fix; never a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from typer._click import exceptions as click_exceptions

from api.settings import Settings
from bot.errors import BotError
from corpus.errors import CorpusError
from indexer.errors import IndexerError

app = typer.Typer(
    name="bilex", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Bilex: French/English legal text, aligned alinéa by alinéa, with exact citations.",
)


class InputError(Exception):
    """Bad input given on the command line (exit 2)."""


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit."""
    typer.echo(f"bilex: {message}", err=True)
    raise typer.Exit(code)


def settings() -> Settings:
    """Settings from the environment, or exit 2 naming the bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "BILEX_" + str(first["loc"][0]).upper() if first["loc"] else "BILEX_*"
        fail(f"{name}: {first['msg']}")


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if nothing changed.")] = False,
    fit_scope: Annotated[bool, typer.Option(
        "--calibrate/--no-calibrate", help="Also fit the scope model, as `bilex calibrate` "
        "does with its default questions, when the one in the data directory does not match "
        "the built corpus, profile and model.")] = True,
) -> None:
    """Build the corpus and the index (a no-op when nothing changed), then the scope model
    when it does not match them."""
    from api.build import build_all

    config = settings()
    report = build_all(config, force=force, progress=sys.stderr.isatty())
    typer.echo(report)
    if fit_scope:
        # Without a fitted model every answer is decided by the uncalibrated prior, which
        # refused 5 of the 24 plain in-scope questions (0 once fitted): a corpus built and
        # served with `bilex build` and `bilex serve` alone answered worse than with `make run`.
        _calibrate_if_stale(config)


def _calibrate_if_stale(config: Settings) -> None:
    """Fit the scope model with the default questions unless the one served matches."""
    from api.build import index_store, load_bot
    from bot.scope import SCOPE_FILE

    store = index_store(config)
    local = config.data_dir / SCOPE_FILE
    if store.keeps_artifacts and store.artifact(SCOPE_FILE) is None and local.is_file():
        # a rebuilt shared store starts without it: this machine's fit goes there (and is
        # refitted below if it no longer matches)
        store.put_artifact(SCOPE_FILE, local.read_bytes())
    bot = load_bot(config)
    if bot.scope_status == "calibrated":
        return
    missing = [p.name for p in DEFAULT_CALIBRATION if not p.is_file()]
    if missing:
        typer.echo(f"Scope model not fitted: the calibration questions ({', '.join(missing)}) "
                   "are not here; answers use the uncalibrated prior until `bilex calibrate "
                   "--questions ...` runs.")
        return
    if sys.stderr.isatty():
        typer.echo("Fitting the scope model (each calibration question asked, k-fold)…",
                   err=True)
    try:
        model = fit_scope_model(config, list(DEFAULT_CALIBRATION),
                                _BSARD if _BSARD.is_file() else None, bot=bot)
    except InputError as exc:
        typer.echo(f"Scope model not fitted: {exc}. Answers use the uncalibrated prior.")
        return
    _report_scope(model, 5)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
) -> None:
    """Serve the web chat and the HTTP API (builds nothing: run `bilex build` first).

    `kill -HUP <pid>` after `bilex build` loads the new index and switches to it."""
    import gc

    # The cyclic collector is off while the server imports and loads (tens of thousands of
    # objects that live as long as it does, which its passes would walk again and again): with
    # five acts, imports, build check and load took 2.0-2.3 s instead of 2.8-3.0 s (three
    # alternating starts). The warm-up freezes what was loaded and turns it back on
    # (`api.load.Engine.warm`).
    gc.disable()
    from api.build import check_built
    from api.serve import run

    base = settings()
    if port is not None and not 1 <= port <= 65535:
        raise InputError(f"--port must be between 1 and 65535, got {port}")
    config = base.model_copy(update={k: v for k, v in (("host", host), ("port", port)) if v})
    check_built(config)  # a missing or stale build is one line and exit 2, before serving
    run(config)


@app.command()
def pairs(
    as_json: Annotated[bool, typer.Option("--json", help="Print Result objects as JSON.")] = False,
) -> None:
    """The aligned FR/EN units of the built corpus."""
    from api.build import ensure_corpus
    from bot.results import unit_result
    from bot.status import StatusBook

    corpus = ensure_corpus(settings())
    book = StatusBook(corpus)
    results = [unit_result(u, 1.0, status=book.of_unit(u)).to_dict() for u in corpus.units]
    if as_json:
        emit_json(results)
        return
    for unit in corpus.units:
        flags = ", ".join(unit.flags) or "no flags"
        typer.echo(f"{unit.id}  confidence {unit.confidence:.2f}  ({flags})")
        typer.echo(f"  FR  {unit.fr.citation}\n      {unit.fr.text}")
        typer.echo(f"  EN  {unit.en.citation}\n      {unit.en.text}\n")


class AlignFormat(StrEnum):
    jsonl = "jsonl"
    tmx = "tmx"
    csv = "csv"


class AlignSegments(StrEnum):
    paragraph = "paragraph"
    sentence = "sentence"


_LANG_CODE = r"^(en|fr)(-[A-Z]{2})?$"


@app.command()
def align(
    en_file: Annotated[Path, typer.Argument(help="The English text.")],
    fr_file: Annotated[Path, typer.Argument(help="The French text.")],
    fmt: Annotated[AlignFormat, typer.Option("--format", help="jsonl, tmx or csv.")] = AlignFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (atomically) "
                                                  "instead of standard output.")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Length-based alignment only "
                                             "(Gale-Church), without the embedding model.")] = False,
    segments: Annotated[AlignSegments, typer.Option(
        "--segments", help="tmx: one segment per unit (paragraph) or per aligned sentence pair "
                           "(sentence).")] = AlignSegments.paragraph,
    delimiter: Annotated[str, typer.Option(
        "--delimiter", help="csv: ',' (default) or ';' (French spreadsheets).")] = ",",
    en_lang: Annotated[str, typer.Option("--en-lang", help="tmx: the English language code, "
                                           "e.g. en-CA.")] = "en",
    fr_lang: Annotated[str, typer.Option("--fr-lang", help="tmx: the French language code, "
                                           "e.g. fr-CA.")] = "fr",
) -> None:
    """Align two files holding the same text in English and French (no index needed)."""
    import re

    from corpus.bitext import align_texts, read_source, to_csv, to_jsonl, to_tmx
    from corpus.bitext.segments import sentence_segments
    from corpus.build import write_atomic
    from indexer.embedders import make_embedder

    if delimiter not in (",", ";"):
        raise typer.BadParameter(f"--delimiter must be ',' or ';', got {delimiter!r}")
    for name, code in (("--en-lang", en_lang), ("--fr-lang", fr_lang)):
        if not re.match(_LANG_CODE, code) or code[:2] != name[2:4]:
            raise typer.BadParameter(f"{name} must be {name[2:4]} or {name[2:4]}-REGION "
                                     f"(e.g. {name[2:4]}-CA), got {code!r}")
    config = settings()
    en_text, fr_text = read_source(en_file), read_source(fr_file)
    encoder = None if no_model else make_embedder(config.model)
    units = align_texts(en_text, fr_text, encoder, en_name=str(en_file), fr_name=str(fr_file))
    if fmt == AlignFormat.tmx:
        pieces = sentence_segments(units, encoder) if segments == AlignSegments.sentence else None
        text = to_tmx(units, srclang="fr", segments=pieces, locales={"en": en_lang, "fr": fr_lang})
    elif fmt == AlignFormat.csv:
        text = to_csv(units, delimiter=";" if delimiter == ";" else ",")
    else:
        text = to_jsonl(units)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomic(output, text)
        flagged = sum(1 for u in units if u.flags)
        typer.echo(f"{len(units)} units ({flagged} flagged) -> {output}", err=True)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in French or English.")],
    lang: Annotated[str | None, typer.Option("--lang", help="fr or en (default: detected).")] = None,
    k: Annotated[int | None, typer.Option("--k", help="How many results.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the /ask body as JSON.")] = False,
) -> None:
    """Ask one question; prints the aligned alinéas with their citations."""
    from api.build import load_bot

    if lang is not None and lang not in ("fr", "en"):
        raise InputError(f"--lang must be fr or en, got {lang!r}")
    answer = load_bot(settings()).ask(question, lang, k)
    if as_json:
        emit_json(answer.to_dict())
        return
    if not answer.answered:
        typer.echo(answer.message)  # then the closest passages, when it shows them
        if answer.results:
            typer.echo("")
    for r in answer.results:
        label = "LAW" if r.kind == "statute" else "COMMENTARY (not law)"
        typer.echo(f"[{label}] {r.id}  score {r.score:.3f}")
        for lang_code in ("fr", "en"):
            side = r.fr if lang_code == "fr" else r.en
            if side:
                typer.echo(f"  {lang_code.upper()}  {r.citation[lang_code]}\n      {side['text']}")
        if r.alignment:
            flags = ", ".join(r.alignment["flags"]) or "no flags"
            typer.echo(f"  alignment confidence {r.alignment['confidence']:.2f} ({flags})")
        typer.echo("")


sources_app = typer.Typer(help="Manage the sources directory (BILEX_SOURCES_DIR).",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("add")
def sources_add(
    en_file: Annotated[Path, typer.Argument(help="The act in English (consolidated layout).")],
    fr_file: Annotated[Path, typer.Argument(help="The act in French.")],
    act: Annotated[str, typer.Option("--act", help="The act's code, e.g. L-2 or E-5.6.")],
    title: Annotated[str, typer.Option("--title", help="The act's title.")],
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction")] = None,
    citation_en: Annotated[str | None, typer.Option("--citation-en")] = None,
    citation_fr: Annotated[str | None, typer.Option("--citation-fr")] = None,
) -> None:
    """Copy an act's English and French files into the sources with a validated manifest."""
    from api.build import sources_dir
    from corpus.adding import add_act

    manifest = add_act(sources_dir(settings()), en_file, fr_file, act=act, title=title,
                       jurisdiction=jurisdiction, citation_en=citation_en,
                       citation_fr=citation_fr)
    typer.echo(f"added act {act} ({manifest.path.name}); run `bilex build` to serve it")


@app.command(name="eval")
def evaluate_cmd(
    questions: Annotated[Path, typer.Argument(help="JSONL: {\"q\", \"lang\", \"gold_any\"}.")],
    k: Annotated[int, typer.Option("--k", help="Results looked at per question.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    without: Annotated[list[str] | None, typer.Option(
        "--without", help="Turn a mechanism off (repeatable), for ablations: spelling, "
        "subquestions, definition, greetings, terms, places, neighbours, language_gap, "
        "law_first, hubness, negation, named_law, term_places, corpus_language.")] = None,
) -> None:
    """Retrieval quality: hit@1, hit@3, MRR per language, refusals, p50 latency."""
    from api.build import load_bot
    from bot.engine import Mechanisms
    from bot.evaluation import evaluate, read_questions

    try:
        rows = read_questions(questions)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    mechanisms = Mechanisms.without(set(without or ()))
    bot = load_bot(settings(), mechanisms)
    report = evaluate(bot, rows, k=max(k, 3))
    figures = report.figures()
    figures["scope"] = bot.scope_status
    if as_json:
        emit_json(figures)
        return
    for lang in ("fr", "en"):
        f = figures.get(lang)
        if not f:
            continue
        typer.echo(f"{lang}: {f['in_scope']} in scope: hit@1 {f['hit@1']}  hit@3 {f['hit@3']}  "
                   f"MRR {f['mrr']}  refused {f['in_scope_refused']} (closest shown "
                   f"{f['in_scope_near']}); out of scope {f['out_of_scope_refused']}/"
                   f"{f['out_of_scope']} refused (closest shown {f['out_of_scope_near']})")
    typer.echo(f"p50 latency {figures['p50_ms']} ms over {figures['questions']} questions; "
               f"scope model: {bot.scope_status}")
    for miss in report.misses():
        where = "answered (out of scope)" if not miss.question.gold_any else (
            "refused" if not miss.answered else f"rank {miss.rank}")
        typer.echo(f"  miss [{miss.language}] {where}: {miss.question.q}")


_DATA = Path(__file__).resolve().parent.parent / "tests" / "bot" / "data"
_BSARD = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bsard" / \
    "questions_fr_test.csv"
DEFAULT_CALIBRATION = (_DATA / "gold.jsonl", _DATA / "plain.jsonl",
                       _DATA / "real_dev_tuning.jsonl", _DATA / "en_negatives.jsonl",
                       _DATA / "fr_negatives.jsonl")


def scope_is_current(config: Settings) -> bool:
    """True when the fitted scope model in the data directory serves the built corpus."""
    from api.build import load_bot

    return load_bot(config).scope_status == "calibrated"


def fit_scope_model(config: Settings, files: list[Path], csv_file: Path | None,
                    folds: int = 5, *, bot: Any = None) -> Any:
    """Fit the scope model for the built corpus of `config` (`bot`: already loaded for it)
    and write it beside the index."""
    import csv

    from api.build import index_store, load_bot, sources_dir
    from bot.calibration import Sample, file_hash
    from bot.calibration import calibrate as fit_scope
    from bot.evaluation import read_questions
    from bot.loading import scope_expectation
    from bot.scope import SCOPE_FILE
    from corpus.build import write_atomic

    samples: list[Sample] = []
    inputs: dict[str, str] = {}
    for path in files:
        try:
            rows = read_questions(path)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        samples += [Sample(r.q, r.lang, bool(r.gold_any), path.stem, r.gold_any) for r in rows]
        inputs[path.name] = file_hash(path)
    if csv_file is not None:
        try:
            with csv_file.open(encoding="utf-8", newline="") as handle:
                texts = [row["question"] for row in csv.DictReader(handle) if row.get("question")]
        except (OSError, KeyError, UnicodeDecodeError, csv.Error):
            raise InputError(f"{csv_file.name}: expected a readable UTF-8 CSV with a "
                             "'question' column") from None
        samples += [Sample(t, None, False, csv_file.stem) for t in texts]
        inputs[csv_file.name] = file_hash(csv_file)
    bot = bot or load_bot(config)
    expected = scope_expectation(bot.corpus, bot.embedder, sources_dir(config))
    try:
        model = fit_scope(bot, samples, inputs, expected, folds=folds)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    text = json.dumps(model.to_dict(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(config.data_dir / SCOPE_FILE, text)
    store = index_store(config)
    if store.keeps_artifacts:  # for servers on other machines, which have no data directory
        store.put_artifact(SCOPE_FILE, text.encode("utf-8"))
    return model


@app.command()
def calibrate(
    questions: Annotated[list[Path] | None, typer.Option(
        "--questions", help="JSONL question files (in and out of scope); repeatable. Default: "
        "the gold set, the plain questions, the tuning half of real_dev and the English and "
        "French near-domain negatives under tests/bot/data.")] = None,
    negatives_csv: Annotated[Path | None, typer.Option(
        "--negatives-csv", help="CSV with a `question` column, all out of scope (default: "
        "the shared BSARD questions, when present).")] = None,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds.")] = 5,
    if_stale: Annotated[bool, typer.Option(
        "--if-stale", help="Do nothing when the fitted model matches the built corpus, "
        "profile and model (as `make run` calls it).")] = False,
) -> None:
    """Fit the out-of-scope model for the built corpus (k-fold CV) and write it beside the
    index with its provenance and out-of-fold figures."""
    if folds < 2 or folds > 20:
        raise InputError(f"--folds must be from 2 to 20, got {folds}")
    if if_stale and scope_is_current(settings()):
        typer.echo("The scope model matches the built corpus: nothing to fit.")
        return
    files = questions or list(DEFAULT_CALIBRATION)
    csv_file = negatives_csv or (_BSARD if _BSARD.is_file() else None)
    _report_scope(fit_scope_model(settings(), files, csv_file, folds), folds)


def _report_scope(model: Any, folds: int) -> None:
    """The fitted model's out-of-fold figures, one line per calibration set."""
    figures = model.provenance["out_of_fold"]
    typer.echo(f"scope model fitted on {model.provenance['rows']} questions "
               f"({folds}-fold out-of-fold figures, the mean of "
               f"{model.provenance.get('repeats', 1)} partitions; threshold "
               f"{model.threshold:.3f}):")
    for name, f in figures.items():
        parts = []
        if "in_scope_answered" in f:
            parts.append(f"in scope answered {f['in_scope_answered']} (n={f['in_n']})")
        if "out_of_scope_refused" in f:
            parts.append(f"out of scope refused {f['out_of_scope_refused']} (n={f['out_n']})")
        typer.echo(f"  {name}: " + "; ".join(parts))


def main() -> None:
    """Entry point: runs the app and turns every failure into one line."""
    try:
        code = app(standalone_mode=False)
    except click_exceptions.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else "bilex --help")
        sys.exit(0)
    except click_exceptions.ClickException as exc:  # usage errors, bad options
        typer.echo(f"bilex: {exc.format_message()}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (CorpusError, InputError, BotError, IndexerError) as exc:
        typer.echo(f"bilex: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # last resort: still one line, never a traceback
        typer.echo(f"bilex: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
