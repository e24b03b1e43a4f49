"""Source manifests: one TOML file beside each source, every field with its origin."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import ManifestError, SourceError
from corpus.profile import PROFILE_FILE

REQUIRED = ("kind", "languages", "jurisdiction", "title")
KINDS = ("statute", "commentary")
LAYOUTS = ("article", "commentary", "bitext")
FORMATS = ("text", "html")
LANGS = ("fr", "en")
# `[status.*]`: whether the text is in force, since when, what replaced it, which languages are
# authentic; each entry a table with its own value and origin.
STATUS_KEYS = ("in_force", "since", "replaced_by", "note", "former", "cited_as", "authentic")


@dataclass(frozen=True)
class Manifest:
    """A validated manifest: the file it describes and its fields with their origins."""

    path: Path
    file: Path
    format: str
    layout: str
    fields: dict[str, dict[str, Any]]
    files: dict[str, Path] | None = None  # layout "bitext": the English and the French file

    def value(self, name: str, default: Any = None) -> Any:
        field = self.fields.get(name)
        return default if field is None else field["value"]

    @property
    def kind(self) -> str:
        return str(self.value("kind"))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.value("languages"))


def load_manifest(path: Path) -> Manifest:
    """Read and validate one manifest; ManifestError naming the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: manifest is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None

    def need(key: str, allowed: tuple[str, ...]) -> str:
        value = data.get(key)
        if value not in allowed:
            raise ManifestError(f"{path}: '{key}' must be one of {', '.join(allowed)}, got {value!r}")
        return str(value)

    fmt, layout = need("format", FORMATS), need("layout", LAYOUTS)
    files: dict[str, Path] | None = None
    if layout == "bitext":
        pair = data.get("files")
        if not isinstance(pair, dict) or set(pair) != {"en", "fr"} or not all(
                isinstance(v, str) and v for v in pair.values()):
            raise ManifestError(f"{path}: a bitext source needs files = {{ en = \"...\", "
                                "fr = \"...\" }")
        files = {lang: path.parent / name for lang, name in pair.items()}
        for file in files.values():
            if not file.is_file():
                raise SourceError(str(file), "file not found (named by its manifest)")
        data.setdefault("file", pair["en"])
    name = data.get("file")
    if not isinstance(name, str) or not name:
        raise ManifestError(f"{path}: 'file' must name the source file")
    fields: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in ("file", "files", "format", "layout"):
            continue
        if key == "status":
            fields[key] = _status(path, value)
            continue
        if not isinstance(value, dict) or "value" not in value or not value.get("origin"):
            raise ManifestError(f"{path}: field '{key}' needs a value and an origin")
        fields[key] = {"value": value["value"], "origin": str(value["origin"])}
    for key in REQUIRED:
        if key not in fields:
            raise ManifestError(f"{path}: missing field '{key}' (with its origin)")
    if fields["kind"]["value"] not in KINDS:
        raise ManifestError(f"{path}: kind must be one of {', '.join(KINDS)}")
    langs = fields["languages"]["value"]
    if not isinstance(langs, list) or not langs or any(lang not in LANGS for lang in langs):
        raise ManifestError(f"{path}: languages must be a list of 'fr'/'en', got {langs!r}")
    source = path.parent / name
    if not source.is_file():
        raise SourceError(str(source), "file not found (named by its manifest)")
    return Manifest(path=path, file=source, format=fmt, layout=layout, fields=fields, files=files)


def _status(path: Path, table: object) -> dict[str, Any]:
    """`[status.NAME] value, origin` entries as one field: {"value": {NAME: value},
    "origin": "NAME: origin; ...", "origins": {NAME: origin}}."""
    if not isinstance(table, dict) or not table:
        raise ManifestError(f"{path}: 'status' must be a table of entries ({', '.join(STATUS_KEYS)})")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for name, entry in table.items():
        if name not in STATUS_KEYS:
            raise ManifestError(f"{path}: unknown status entry '{name}'; known: {', '.join(STATUS_KEYS)}")
        if not isinstance(entry, dict) or "value" not in entry or not entry.get("origin"):
            raise ManifestError(f"{path}: status entry '{name}' needs a value and an origin")
        values[name] = entry["value"]
        origins[name] = str(entry["origin"])
    if "in_force" in values and not isinstance(values["in_force"], bool):
        raise ManifestError(f"{path}: status.in_force must be true or false")
    authentic = values.get("authentic")
    if authentic is not None and (not isinstance(authentic, list) or not authentic
                                  or any(lang not in LANGS for lang in authentic)):
        raise ManifestError(f"{path}: status.authentic must be a list of 'fr'/'en'")
    return {"value": values, "origin": "; ".join(f"{k}: {v}" for k, v in origins.items()),
            "origins": origins}


def discover(sources_dir: Path) -> list[Manifest]:
    """All manifests of a sources directory, in file-name order."""
    if not sources_dir.is_dir():
        raise SourceError(str(sources_dir), "sources directory not found")
    manifests = [load_manifest(p) for p in sorted(sources_dir.glob("*.toml"))
                 if p.name != PROFILE_FILE]  # the corpus profile is not a source
    if not manifests:
        raise ManifestError(f"{sources_dir}: no source manifests (*.toml) found")
    return manifests
