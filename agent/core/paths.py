"""Where the OS keeps the folders DJ software writes into."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class KnownFolders:
    """The handful of per-user folders the sources need, for one OS.

    Built by current() for this machine; tests build one for another OS.
    documents/music come from platformdirs, which on Windows asks the
    Known-Folder API and so follows a OneDrive-redirected Documents.
    """

    system: str  # "Windows" | "Darwin" | "Linux"
    home: Path
    documents: Path
    music: Path
    local_appdata: Path | None = None  # Windows %LOCALAPPDATA%
    appdata: Path | None = None  # Windows %APPDATA% (roaming)
    xdg_data: Path | None = None  # Linux ~/.local/share

    @property
    def app_support(self) -> Path:
        """macOS ~/Library/Application Support."""
        return self.home / "Library" / "Application Support"

    @classmethod
    def current(cls) -> KnownFolders:
        system = platform.system()
        home = Path.home()
        local = os.environ.get("LOCALAPPDATA")
        roaming = os.environ.get("APPDATA")
        return cls(
            system=system,
            home=home,
            documents=Path(platformdirs.user_documents_dir()),
            music=Path(platformdirs.user_music_dir()),
            local_appdata=Path(local) if local else (home / "AppData" / "Local" if system == "Windows" else None),
            appdata=Path(roaming) if roaming else (home / "AppData" / "Roaming" if system == "Windows" else None),
            xdg_data=Path(platformdirs.user_data_dir()) if system == "Linux" else None,
        )

    @property
    def is_windows(self) -> bool:
        return self.system == "Windows"

    @property
    def is_mac(self) -> bool:
        return self.system == "Darwin"
