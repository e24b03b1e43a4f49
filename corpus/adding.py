"""Adding a consolidated act (an English and a French file) to a sources directory.

`add_act` checks the pair (UTF-8 text, the consolidated-act layout on both sides, the same
sections), copies both files beside the other sources and writes their manifest, every field
with its origin, then reads the manifest back through the normal validation. The manifest is
written last: until it exists the act is not part of the sources.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from corpus.bitext.layout import CONSOLIDATED_ACT, detect_layout, read_source, split_sections
from corpus.errors import LayoutError, ManifestError
from corpus.manifest import Manifest, discover, load_manifest
from corpus.persist import write_atomic
from corpus.reading import sha256_file

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$")


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for what json.dumps emits)."""
    return json.dumps(value, ensure_ascii=False)


def _check_pair(en_text: str, fr_text: str, en_name: str, fr_name: str) -> int:
    """The number of sections both files share; LayoutError unless they hold the same act."""
    for text, name in ((en_text, en_name), (fr_text, fr_name)):
        if detect_layout(text, name) != CONSOLIDATED_ACT:
            raise LayoutError(f"{name}: not a consolidated act: expected blocks headed "
                              "'Section N — title' / 'Article N — titre'")
    labels = [{s.label for s in split_sections(t, CONSOLIDATED_ACT) if s.label}
              for t in (en_text, fr_text)]
    common = len(labels[0] & labels[1])
    if common * 2 < max(len(labels[0]), len(labels[1])):
        raise LayoutError(f"{en_name} and {fr_name} are not the same act: only {common} of "
                          f"{max(len(labels[0]), len(labels[1]))} section labels match")
    return common


def add_act(sources_dir: Path, en_file: Path, fr_file: Path, *, act: str, title: str,
            jurisdiction: str | None = None, citation_en: str | None = None,
            citation_fr: str | None = None) -> Manifest:
    """Copy the pair into `sources_dir` as `<act>_en.txt` / `<act>_fr.txt` with `<act>.toml`."""
    if not _CODE.match(act):
        raise ManifestError(f"--act {act!r}: an act code is letters, digits, dots and hyphens, "
                            "e.g. L-2 or E-5.6")
    if not title.strip():
        raise ManifestError("--title is empty: give the act's title")
    for name, value in (("--jurisdiction", jurisdiction), ("--citation-en", citation_en),
                        ("--citation-fr", citation_fr)):
        if value is not None and not value.strip():
            raise ManifestError(f"{name} is empty: give a value or leave the option out")
    en_text, fr_text = read_source(en_file), read_source(fr_file)
    sections = _check_pair(en_text, fr_text, en_file.name, fr_file.name)
    stem = act
    targets = {"en": sources_dir / f"{stem}_en.txt", "fr": sources_dir / f"{stem}_fr.txt"}
    manifest_path = sources_dir / f"{stem}.toml"
    taken = [p.name for p in (*targets.values(), manifest_path) if p.exists()]
    if taken:
        raise ManifestError(f"the sources already hold {', '.join(taken)}: act {act} was added "
                            "before (remove it first to replace it)")
    for existing in discover(sources_dir) if any(sources_dir.glob("*.toml")) else []:
        if str(existing.value("act") or "") == act:
            raise ManifestError(f"act {act} is already a source ({existing.path.name})")

    day = datetime.now(UTC).date().isoformat()
    given = f"given to `bilex sources add` on {day}"
    origin = (f"{given}; files {en_file.name} (sha256 {sha256_file(en_file)[:16]}) and "
              f"{fr_file.name} (sha256 {sha256_file(fr_file)[:16]}), {sections} sections")
    lines = [
        f"# Added by `bilex sources add` on {day}.",
        'layout = "bitext"',
        'format = "text"',
        f"files = {{ en = {_toml_string(targets['en'].name)}, "
        f"fr = {_toml_string(targets['fr'].name)} }}",
        f'kind = {{ value = "statute", origin = {_toml_string(given + " (a consolidated act)")} }}',
        f'languages = {{ value = ["en", "fr"], origin = {_toml_string(origin)} }}',
        f"jurisdiction = {{ value = {_toml_string(jurisdiction or 'unspecified')}, "
        f"origin = {_toml_string(given if jurisdiction else 'not given to `bilex sources add`')} }}",
        f"title = {{ value = {_toml_string(title.strip())}, origin = {_toml_string(given)} }}",
        f"act = {{ value = {_toml_string(act)}, origin = {_toml_string(given)} }}",
    ]
    citation = {lang: c.strip() for lang, c in (("en", citation_en), ("fr", citation_fr)) if c}
    if citation:
        lines += ["", "[citation]", f"origin = {_toml_string(given)}", "", "[citation.value]"]
        lines += [f"{lang} = {_toml_string(c)}" for lang, c in citation.items()]
    sources_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for lang, text in (("en", en_text), ("fr", fr_text)):
            write_atomic(targets[lang], text)
            written.append(targets[lang])
        write_atomic(manifest_path, "\n".join(lines) + "\n")
        written.append(manifest_path)
        return load_manifest(manifest_path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
