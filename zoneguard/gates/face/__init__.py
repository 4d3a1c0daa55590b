"""Face matching for real-name channels, behind a small interface so that the matcher can be
replaced (a vendor SDK, a different model) without touching the gate logic.

A backend turns a photo into an encoding (a list of floats) and measures the distance between two
encodings. `backend()` returns the configured one, or None when none is installed: then no site
can enable face checks."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import import_module
from typing import Protocol

from django.conf import settings

# Enrolment and probe photos larger than this are refused (a gate camera's JPEG is ~50-200 kB).
MAX_PHOTO_BYTES = 2 * 1024 * 1024


class NoFaceFound(Exception):
    """The photo shows no face, or is not an image."""


class FaceBackend(Protocol):
    name: str

    def encode(self, image: bytes) -> list[float]:
        """The encoding of the (largest) face in the image; NoFaceFound when there is none."""
        ...

    def distance(self, known: list[float], probe: list[float]) -> float:
        """0 for the same face; the tolerance (settings.GATES_FACE_TOLERANCE) separates people."""
        ...


def euclidean(a: list[float], b: list[float]) -> float:
    if len(a) != len(b):
        return math.inf
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)))


def _load(path: str) -> FaceBackend | None:
    module_name, _, class_name = path.rpartition(".")
    try:
        module = import_module(module_name)
        return getattr(module, class_name)()
    except ImportError:
        return None


@lru_cache(maxsize=1)
def _configured(path: str) -> FaceBackend | None:
    if not path:
        return None
    if path == "auto":
        return _load("zoneguard.gates.face.dlib_backend.FaceRecognitionBackend")
    return _load(path)


def backend() -> FaceBackend | None:
    return _configured(settings.GATES_FACE_BACKEND)


def available() -> bool:
    return backend() is not None


def image_content_type(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return "application/octet-stream"
