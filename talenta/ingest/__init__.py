"""Import pipeline: file -> reader -> normaliser -> validator -> (accepted | quarantined) -> DuckDB."""
from .loader import ImportResult, Preview, import_file, preview, undo_batch
from .readers import RawTable, read_file
from .validate import HeaderMapping, Validated, map_headers, validate

__all__ = ["ImportResult", "Preview", "preview", "import_file", "undo_batch", "RawTable", "read_file", "HeaderMapping",
           "Validated", "map_headers", "validate"]
