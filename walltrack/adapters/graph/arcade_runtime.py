"""The ArcadeDB server shipped in the `arcadedb-embedded` wheel, and its JVM class cache.

Why a class-data-sharing (CDS) archive: the wheel's JRE ships without one, so every start
parses and verifies ~5,000 classes again. An archive of the classes the server loads
while starting halves its time to healthy (1.3 s -> 0.7 s measured here). The archive
is a cache: built once in the background after the first start, kept per user, keyed by
the jars and JRE it was made from, and simply ignored by the JVM if it does not match.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from walltrack.errors import ConfigurationError

_STALE_AFTER_S = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ArcadeDistribution:
    """Where the wheel's JRE and jars are."""

    java: Path
    class_path: str
    version: str

    @classmethod
    def locate(cls) -> ArcadeDistribution:
        """Find the installed wheel without importing it (that would start JPype)."""
        spec = importlib.util.find_spec("arcadedb_embedded")
        if spec is None or spec.origin is None:
            raise ConfigurationError(
                "WALLTRACK_GRAPH_URI",
                "not set and the arcadedb-embedded package is not installed",
            )
        home = Path(spec.origin).parent
        java = home / "jre" / "bin" / ("java.exe" if sys.platform == "win32" else "java")
        jars = sorted((home / "jars").glob("*.jar"))
        if not java.exists() or not jars:
            raise ConfigurationError(
                "WALLTRACK_GRAPH_URI", f"no usable JRE and jars in {home} (broken install?)"
            )
        return cls(
            java=java,
            class_path=os.pathsep.join(str(jar) for jar in jars),
            version=version("arcadedb-embedded"),
        )

    def fingerprint(self) -> str:
        """A short digest of what a class archive depends on."""
        digest = hashlib.sha256(self.version.encode())
        digest.update(self.class_path.encode())
        digest.update(str(self.java.stat().st_size).encode())
        return digest.hexdigest()[:16]


def default_cache_dir() -> Path:
    """The per-user cache directory (XDG_CACHE_HOME or ~/.cache) for WallTrack."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "walltrack" / "jvm"


class ClassDataCache:
    """Decides the CDS options of one server start and builds the archive when missing."""

    def __init__(self, distribution: ArcadeDistribution, cache_dir: Path) -> None:
        self._distribution = distribution
        self._cache_dir = cache_dir
        name = f"arcadedb-{distribution.fingerprint()}"
        self.archive = cache_dir / f"{name}.jsa"
        self._class_list = cache_dir / f"{name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.classlist"
        self._builder: threading.Thread | None = None

    def jvm_options(self) -> list[str]:
        """Use the archive if it exists; otherwise record the classes the start loads."""
        if self.archive.exists():
            return [f"-XX:SharedArchiveFile={self.archive}", "-Xshare:auto"]
        try:
            self._cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return []  # no writable cache: start without one
        self._remove_stale_files()
        return [f"-XX:DumpLoadedClassList={self._class_list}"]

    def build_in_background(self) -> None:
        """After a healthy start without archive: dump one from the recorded classes."""
        if self.archive.exists() or not self._class_list.exists():
            return
        snapshot = self._class_list.with_suffix(".start")
        try:
            shutil.copyfile(self._class_list, snapshot)
        except OSError:
            return
        self._builder = threading.Thread(
            target=self._dump, args=(snapshot,), name="arcadedb-class-cache", daemon=True
        )
        self._builder.start()

    def wait(self, timeout_s: float) -> bool:
        """Wait for a background build; True when an archive is ready."""
        if self._builder is not None:
            self._builder.join(timeout_s)
        return self.archive.exists()

    def discard_recording(self) -> None:
        """Remove this start's class list (the server that wrote it has stopped)."""
        self._class_list.unlink(missing_ok=True)

    def _remove_stale_files(self) -> None:
        """Delete leftovers of builds that a process exit interrupted."""
        horizon = time.time() - _STALE_AFTER_S
        for pattern in ("*.partial", "*.start", "*.classlist"):
            for path in self._cache_dir.glob(pattern):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < horizon:
                        path.unlink()

    def _dump(self, class_list: Path) -> None:
        partial = self.archive.with_suffix(f".{uuid.uuid4().hex[:8]}.partial")
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [
                    str(self._distribution.java),
                    "-Xshare:dump",
                    f"-XX:SharedClassListFile={class_list}",
                    f"-XX:SharedArchiveFile={partial}",
                    "-cp",
                    self._distribution.class_path,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=300,
                check=False,
            )
            if completed.returncode == 0 and partial.exists():
                os.replace(partial, self.archive)
        except (OSError, subprocess.SubprocessError):
            pass  # a cache: without it the server only starts slower
        finally:
            partial.unlink(missing_ok=True)
            class_list.unlink(missing_ok=True)
