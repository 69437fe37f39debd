"""The status bar's word on where embeddings are computed: this computer, or which server (warned in
orange when passages cross the network unencrypted); and, under the folder list, which model that is."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from .model import SharedEmbedder
from .prefs import Prefs
from .server_box import GREY, ORANGE
from .server_link import CLEARTEXT_WARNING, place_of


class WhereLabel(QLabel):
    def __init__(self, parent: QWidget | None = None, *, model_line: QLabel | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"color: {GREY};")
        self.away: str | None = None  # the host passage text goes to, as last shown
        self.model_line = model_line  # the folder panel's line naming the model and where it runs

    def show_for(self, prefs: Prefs, loaded: SharedEmbedder | None = None) -> None:
        """The chosen model's place; a loaded served model tells the API it speaks (Auto asks it), a
        loaded local one the device it took (auto: what it found)."""
        api = prefs.api or (loaded.api if loaded is not None else None)
        device = (loaded.device if loaded is not None else None) or prefs.device
        place = place_of(prefs.server, api, device if prefs.server is None else "auto")
        self.away = place.away
        self.setText("Embedding " + place.short + (" · unencrypted" if place.cleartext else ""))
        self.setToolTip(place.sentence + ("\n" + CLEARTEXT_WARNING if place.cleartext else ""))
        self.setStyleSheet(f"color: {ORANGE if place.cleartext else GREY};")
        if self.model_line is not None:
            state = "" if loaded is not None else " (loading)"
            self.model_line.setText(f"Model: {model_name(prefs.embed_model)}{state} · {place.short}")
            self.model_line.setToolTip(f"{prefs.embed_model}\n{place.sentence}")

    def model_failed(self) -> None:
        """The model could not be loaded (the window's banner says why): not "loading" any more."""
        if self.model_line is not None:
            self.model_line.setText(self.model_line.text().replace(" (loading)", " (not available: words only)"))


def model_name(name: str) -> str:
    """A model as the narrow panel shows it: a hub name by its own part ("jinaai/x" -> "x"), a folder by
    its last two parts (a model folder is often called just "model")."""
    parts = [p for p in name.replace("\\", "/").split("/") if p]
    if not parts:
        return name
    folder = name.startswith(("/", "~", ".", "\\")) or (len(name) > 2 and name[1] == ":")
    return "/".join(parts[-2:]) if folder and len(parts) > 1 else parts[-1]
