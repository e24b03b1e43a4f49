"""The `bilex` command line: build, serve, ask, pairs, align, eval.

Bad input exits 2 with one line on stderr that says what to fix; never a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from typer._click import exceptions as click_exceptions

from api.settings import Settings
from corpus.errors import CorpusError

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
) -> None:
    """Build the corpus and the index (a no-op when nothing changed)."""
    from api.build import build_all

    report = build_all(settings(), force=force, progress=sys.stderr.isatty())
    typer.echo(report)


@app.command()
def pairs(
    as_json: Annotated[bool, typer.Option("--json", help="Print Result objects as JSON.")] = False,
) -> None:
    """The aligned FR/EN units of the built corpus."""
    from api.build import ensure_corpus
    from bot.results import unit_result

    corpus = ensure_corpus(settings())
    results = [unit_result(u, 1.0).to_dict() for u in corpus.units]
    if as_json:
        emit_json(results)
        return
    for unit in corpus.units:
        flags = ", ".join(unit.flags) or "no flags"
        typer.echo(f"{unit.id}  confidence {unit.confidence:.2f}  ({flags})")
        typer.echo(f"  FR  {unit.fr.citation}\n      {unit.fr.text}")
        typer.echo(f"  EN  {unit.en.citation}\n      {unit.en.text}\n")


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
    except (CorpusError, InputError) as exc:
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
