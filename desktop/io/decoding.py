"""A file's bytes as text: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text"), else
Windows-1252 with a note. Binary files and files too big are refused whole."""
from __future__ import annotations

from pathlib import Path

from desktop.io.problems import ImportFailed

__all__ = ["MAX_BYTES", "read_text"]

MAX_BYTES = 20 * 1024 * 1024


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and notes about how it was read. Raises ImportFailed."""
    data = _read_bytes(path)
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFailed(f"{path} says it is UTF-16 but is not valid UTF-16") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportFailed(f"{path} is not a text file (neither UTF-8 nor Windows-1252)") from None
            notes.append("the file is not UTF-8: read it as Windows-1252 (cp1252); check accented letters")
    if not text.strip():
        raise ImportFailed(f"{path} is empty")
    # A NUL in the first line means a binary file (a workbook, UTF-16 without a BOM); later, a NUL is a
    # character some review really holds, which CSV and JSON carry like any other.
    if "\x00" in text[:4096].lstrip().split("\n", 1)[0]:
        raise ImportFailed(f"{path} is not a CSV or JSON text file (an Excel workbook? save it as CSV)")
    return text, notes


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFailed(f"{path} is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(f"{path} is {size / 1024 / 1024:.1f} MB; Rapport imports files up to "
                               f"{MAX_BYTES // 1024 // 1024} MB: split it into smaller files")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFailed(f"{path} cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ImportFailed(f"{path} is over {MAX_BYTES // 1024 // 1024} MB: split it into smaller files")
    if not data.strip():
        raise ImportFailed(f"{path} is empty")
    return data
