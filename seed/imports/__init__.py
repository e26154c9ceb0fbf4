"""Import from CRM exports: files from every silo in, one deduplicated picture out.

The pieces, in the order a row meets them:

* :mod:`~seed.imports.readers`: unreadable files refused in one line; JSON
  Lines row by row, with line numbers;
* :mod:`~seed.imports.tables`: CSV read by Arrow in chunks, lines found again
  only for the rows that need them;
* :mod:`~seed.imports.mapping`: mapping files (TOML/YAML) naming where each of
  our fields comes from; ``mappings/`` holds Salesforce and HubSpot;
* :mod:`~seed.imports.fields` (one row) and :mod:`~seed.imports.columns` (a
  whole CSV chunk, the same conversions): our typed fields, or why not;
* :mod:`~seed.imports.chunks`: either reader's output as one chunk shape;
* :mod:`~seed.imports.identity` (+ :mod:`~seed.imports.crosswalk`): the same
  company or person across silos;
* :mod:`~seed.imports.batches` (row by row) and :mod:`~seed.imports.columnar`
  (contacts and touchpoints, + :mod:`~seed.imports.stored`): a chunk -> what to write;
* :mod:`~seed.imports.runner`: the run, its summary and the rejects file.

See docs/import.md for the user's side.
"""

from seed.imports.mapping import ImportMapping, load_mapping
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer, ImportSummary

__all__ = [
    "FileSpec", "ImportMapping", "ImportSummary", "Importer", "RejectsWriter", "load_mapping",
]
