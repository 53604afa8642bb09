"""Feedback in and out as files: CSV or JSON import (for sites that block scrapers) and export. No Qt.

Import reads in `importing` (through `decoding`, `sniffing`, `cells`, `dates`, `ratings`) and stores in
`storing`; export writes in `exporting`.
"""
from desktop.io.exporting import ExportFailed, export_mentions
from desktop.io.importing import ImportedRow, ImportFailed, ImportPreview, RowProblem, read_file
from desktop.io.storing import ImportCancelled, ImportResult, import_file, import_preview

__all__ = ["ExportFailed", "ImportCancelled", "ImportFailed", "ImportPreview", "ImportResult", "ImportedRow",
           "RowProblem", "export_mentions", "import_file", "import_preview", "read_file"]
