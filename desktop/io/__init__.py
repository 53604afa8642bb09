"""Feedback in and out as files: CSV or JSON import (for sites that block scrapers) and export. No Qt."""
from desktop.io.exporting import ExportFailed, export_mentions
from desktop.io.importing import (ImportCancelled, ImportedRow, ImportFailed, ImportPreview, ImportResult, RowProblem,
                                  import_file, import_preview, read_file)

__all__ = ["ExportFailed", "ImportCancelled", "ImportFailed", "ImportPreview", "ImportResult", "ImportedRow",
           "RowProblem", "export_mentions", "import_file", "import_preview", "read_file"]
