#!/usr/bin/env bash
# Installs the optional face matcher (face_recognition on dlib) into the given Python environment,
# without a compiler: dlib comes as the prebuilt dlib-bin wheel, and face_recognition itself is
# installed without its dependencies because it would otherwise ask for dlib's source package.
# face_recognition_models (~100 MB of model files) imports pkg_resources, hence setuptools<81.
#
#   scripts/install-face.sh                 # into .venv
#   PYTHON=/srv/zoneguard/venv/bin/python scripts/install-face.sh   # into another environment
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
"$PYTHON" -m pip install -q "dlib-bin>=19.24" "numpy>=1.24" "Pillow>=10" "Click>=7" "setuptools<81"
"$PYTHON" -m pip install -q --no-deps "face_recognition==1.3.0" "face_recognition_models==0.3.0"
"$PYTHON" -c "import face_recognition, numpy; print('face_recognition', face_recognition.__version__, 'ready')"
