"""The TypeScript<->Python retraining contract, read from the files the TypeScript side defines.

* ``shared/contracts/schemas/*.schema.json``: JSON Schemas (draft 2020-12) derived from the zod schemas
  of ``shared/contracts/retraining/`` by ``scripts/write-contract-schemas.ts`` (a TS test keeps them up to
  date): the export ``manifest.json`` (written by the app, read here), the step / phase lines printed on
  stdout (read by the app) and ``comparison.json`` (written here, read by the app).
* ``shared/contracts/retraining/python-exit-codes.json``: the exit codes of the ``lungburden`` CLIs.

``python -m lungburden.contract manifest|comparison|line FILE`` validates one file (``line``: every
line of FILE that starts with ``{``) and exits with the contract's ``ok`` or ``error`` code.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator

from .paths import REPO_ROOT

CONTRACT_DIR = REPO_ROOT / "shared" / "contracts"
SCHEMA_DIR = CONTRACT_DIR / "schemas"
EXIT_CODES_FILE = CONTRACT_DIR / "retraining" / "python-exit-codes.json"

SchemaName = Literal["training-export-manifest", "trainer-line", "retrain-comparison"]
KIND_TO_SCHEMA: dict[str, SchemaName] = {
    "manifest": "training-export-manifest",
    "line": "trainer-line",
    "comparison": "retrain-comparison",
}


class ContractError(ValueError):
    """A document that breaks the contract; the message names the schema, the path and the rule."""


def _exit_codes() -> dict[str, int]:
    codes = json.loads(EXIT_CODES_FILE.read_text())["codes"]
    return {str(k): int(v) for k, v in codes.items()}


EXIT = _exit_codes()
"""``{"ok": 0, "error": 1, "usage": 2, "refused": 3}``: exit codes of every ``lungburden`` CLI."""


@cache
def validator(name: SchemaName) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate(name: SchemaName, doc: Any) -> None:
    """Raises :class:`ContractError` with every violation of ``doc`` against schema ``name``."""
    errors = sorted(validator(name).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors[:5]]
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ContractError(f"breaks {name}.schema.json: " + "; ".join(lines) + more)


def phase_line(phase: str, message: str) -> str:
    """A phase line of the contract (``{"phase": ..., "message": ...}``), validated."""
    rec = {"phase": phase, "message": message}
    validate("trainer-line", rec)
    return json.dumps(rec)


def _validate_file(kind: str, path: Path) -> None:
    if kind == "line":
        for n, text in enumerate(path.read_text().splitlines(), 1):
            if text.startswith("{"):
                try:
                    validate("trainer-line", json.loads(text))
                except ContractError as e:
                    raise ContractError(f"line {n}: {e}") from e
        return
    validate(KIND_TO_SCHEMA[kind], json.loads(path.read_text()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=sorted(KIND_TO_SCHEMA))
    ap.add_argument("file", type=Path)
    a = ap.parse_args(argv)
    try:
        _validate_file(a.kind, a.file)
    except (ContractError, OSError, json.JSONDecodeError) as e:
        print(f"contract: {a.file}: {e}", file=sys.stderr)
        return EXIT["error"]
    print(f"contract: {a.file} conforms to {KIND_TO_SCHEMA[a.kind]}.schema.json")
    return EXIT["ok"]


if __name__ == "__main__":
    sys.exit(main())
