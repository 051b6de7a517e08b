"""Where snownlp keeps its shipped model files, and how to read them without importing it.

``import snownlp`` (or any of its submodules) runs ``snownlp/__init__.py``, which loads the
segmenter *and* the sentiment model into module globals: about 3 s and 400 MB. The fast scorer
needs the same files but its own copy of the data, so it finds the package directory with
``importlib.util.find_spec`` (which does not execute the package) and reads the files itself,
exactly as snownlp's ``load`` methods do.
"""

from __future__ import annotations

import gzip
import importlib.util
import marshal
import sys
from pathlib import Path
from typing import Any

# snownlp's ``save``/``load`` add this suffix on Python 3: the marshal format of Python 2 and 3
# differ, so the package ships both ``x.marshal`` (Python 2) and ``x.marshal.3`` (Python 3).
PY3_SUFFIX = ".3" if sys.version_info[0] == 3 else ""


def snownlp_dir() -> Path:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("snownlp is not installed; the sentiment scorer uses its model files")
    return Path(list(spec.submodule_search_locations)[0])


def snownlp_version() -> str:
    from importlib.metadata import version

    return version("snownlp")


def segmenter_path() -> Path:
    """The character-based tagger (``seg/seg.marshal``), as ``snownlp.seg`` names it."""
    return snownlp_dir() / "seg" / "seg.marshal"


def sentiment_path() -> Path:
    """The Bayes sentiment model (``sentiment/sentiment.marshal``)."""
    return snownlp_dir() / "sentiment" / "sentiment.marshal"


def stopwords_path() -> Path:
    return snownlp_dir() / "normal" / "stopwords.txt"


def marshal_file(name: Path | str) -> Path:
    """The file snownlp actually reads for model ``name`` (it appends ``.3`` on Python 3)."""
    name = Path(name)
    if name.name.endswith(".marshal") and PY3_SUFFIX:
        return name.with_name(name.name + PY3_SUFFIX)
    return name


def load_marshal(name: Path | str) -> dict[str, Any]:
    """Read a snownlp model file like its ``load(fname, iszip=True)``: gzip, else plain marshal."""
    path = marshal_file(name)
    return parse_marshal(path.read_bytes(), str(path))


def parse_marshal(raw: bytes, source: str = "model") -> dict[str, Any]:
    """Decode the bytes of a snownlp model file."""
    try:
        raw = gzip.decompress(raw)
    except (OSError, EOFError):  # snownlp falls back to an uncompressed file the same way (IOError)
        pass
    try:
        data = marshal.loads(raw)
    except (EOFError, ValueError, TypeError) as exc:
        raise ValueError(f"{source} is not a snownlp model file ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{source} is not a snownlp model file")
    return data


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """snownlp's stop words: one per line, stripped (``normal.stop``)."""
    text = (path or stopwords_path()).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines(keepends=True))
