"""The face_recognition library (dlib's ResNet face encoder, 128 floats), offline on the CPU.

Optional: `pip install '.[face]'` cannot install it alone because face_recognition depends on
dlib, which PyPI ships as source only; `make face` installs the prebuilt `dlib-bin` first and
then face_recognition without its dependencies (see the Makefile). Importing this module raises
ImportError when the library is missing, and the gates module then offers no face checks."""

from __future__ import annotations

import io

import face_recognition
import numpy

from . import NoFaceFound


class FaceRecognitionBackend:
    name = "face_recognition"

    def encode(self, image: bytes) -> list[float]:
        try:
            pixels = face_recognition.load_image_file(io.BytesIO(image))
        except Exception as error:  # PIL raises several types for data that is not an image
            raise NoFaceFound(str(error)) from error
        locations = face_recognition.face_locations(pixels)
        if not locations:
            raise NoFaceFound("no face")
        # The largest face: the person standing at the channel, not someone behind them.
        largest = max(locations, key=lambda box: (box[2] - box[0]) * (box[1] - box[3]))
        encodings = face_recognition.face_encodings(pixels, known_face_locations=[largest])
        if not encodings:
            raise NoFaceFound("no face")
        return [float(x) for x in encodings[0]]

    def distance(self, known: list[float], probe: list[float]) -> float:
        return float(numpy.linalg.norm(numpy.asarray(known) - numpy.asarray(probe)))
