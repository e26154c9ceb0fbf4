"""Fetch GraphiQL's browser assets from the npm registry into api/static/vendor/.

Run at install time (``make install`` does): ``python -m api.graphiql.vendor``.
Uses ``npm pack`` (the registry's ordinary client, which checks each package's
integrity) with pinned versions, and copies only the files the page loads. The
folder is gitignored: nothing third-party is kept in the repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from api.graphiql import ASSETS, VENDOR_DIR

PACKAGES = {
    "react@18.2.0": {"package/umd/react.production.min.js": "react.production.min.js"},
    "react-dom@18.2.0": {
        "package/umd/react-dom.production.min.js": "react-dom.production.min.js"},
    "graphiql@3.8.3": {"package/graphiql.min.js": "graphiql.min.js",
                       "package/graphiql.min.css": "graphiql.min.css"},
}


def fetch(target: Path = VENDOR_DIR) -> list[Path]:
    """Download (npm pack) and unpack the assets; returns the files written."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: install Node.js/npm (apt-get install npm), "
                         "then run: python -m api.graphiql.vendor")
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec, wanted in PACKAGES.items():
            out = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, check=True,
                                 capture_output=True, text=True, timeout=300)
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                for member, name in wanted.items():
                    src = tar.extractfile(member)
                    if src is None:
                        raise SystemExit(f"{spec}: {member} not in the package")
                    (target / name).write_bytes(src.read())
                    written.append(target / name)
    missing = [a for a in ASSETS if not (target / a).is_file()]
    if missing:
        raise SystemExit(f"still missing after fetch: {', '.join(missing)}")
    return written


def main() -> None:
    if all((VENDOR_DIR / a).is_file() for a in ASSETS) and "--force" not in sys.argv:
        print(f"GraphiQL assets already in {VENDOR_DIR}")
        return
    for path in fetch():
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
