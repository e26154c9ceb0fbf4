"""Import from CRM exports: files from every silo in, one deduplicated picture out.

The pieces, in the order a row meets them:

* :mod:`~seed.imports.readers`: CSV / JSON Lines in chunks, with line numbers;
  unreadable files refused in one line;
* :mod:`~seed.imports.mapping`: mapping files (TOML/YAML) naming where each of
  our fields comes from; ``mappings/`` holds Salesforce and HubSpot;
* :mod:`~seed.imports.fields`: one row -> our typed fields, or a RowError;
* :mod:`~seed.imports.identity` (+ :mod:`~seed.imports.crosswalk`): the same
  company or person across silos;
* :mod:`~seed.imports.batches`: a chunk -> the nodes to write;
* :mod:`~seed.imports.runner`: the run, its summary and the rejects file.

See docs/import.md for the user's side.
"""

from seed.imports.mapping import ImportMapping, load_mapping
from seed.imports.rejects import RejectsWriter
from seed.imports.runner import FileSpec, Importer, ImportSummary

__all__ = [
    "FileSpec", "ImportMapping", "ImportSummary", "Importer", "RejectsWriter", "load_mapping",
]
