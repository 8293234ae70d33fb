"""The column mapping of ``finder import`` and ``sources add``: a CSV in a layout of its own."""
from __future__ import annotations

import click

MAPPING_BYTES = 64 * 1024
MAPPING_HELP = ("CSV in a layout of its own: FIELD=COLUMN pairs, comma-separated "
                "(e.g. name=Meeting Name,day=Weekday,time=Begins); kept with the source.")
MAPPING_FILE_HELP = "CSV in a layout of its own: a file of FIELD=COLUMN lines; kept with the source."


def column_mapping(pairs: tuple[str, ...], mapping_file: str | None) -> dict[str, str] | None:
    """``--mapping FILE`` then ``--columns FIELD=COLUMN,...`` as one mapping (the command line wins).

    A bad pair, an unknown field or an unreadable file is a usage error naming the option.
    """
    mapping: dict[str, str] = {}
    if mapping_file:
        mapping |= _read(_file_text(mapping_file), "--mapping")
    for text in pairs:
        mapping |= _read(text, "--columns")
    return mapping or None


def _read(text: str, option: str) -> dict[str, str]:
    from importers.csv_columns import read_mapping  # the CSV importer's: loaded for a mapping only
    from importers.tsml_csv import USED

    try:
        return read_mapping(text, USED)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _file_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as file:
            return file.read(MAPPING_BYTES)
    except FileNotFoundError:
        raise click.BadParameter(f"no such file: {path}", param_hint="--mapping") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {type(exc).__name__}",
                                 param_hint="--mapping") from None
