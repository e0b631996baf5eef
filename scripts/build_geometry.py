"""Write a pack's baseline and transfer polygons from its unit recipes (see geo/recipes.py).

Usage: python scripts/build_geometry.py treaties/russia-iran
Run it after editing base/baseline-units.toml, base/pieces.geojson or a transfer's `units`.
"""

import sys
from pathlib import Path

from geo.recipes import RecipeError, build


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        outputs = build(Path(argv[0]))
    except RecipeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for path, text in outputs.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
