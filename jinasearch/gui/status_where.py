"""The status bar's word on where embeddings are computed: this computer, or which server (warned in
orange when passages cross the network unencrypted)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from .model import SharedEmbedder
from .prefs import Prefs
from .server_box import GREY, ORANGE
from .server_link import CLEARTEXT_WARNING, place_of


class WhereLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"color: {GREY};")
        self.away: str | None = None  # the host passage text goes to, as last shown

    def show_for(self, prefs: Prefs, loaded: SharedEmbedder | None = None) -> None:
        """The chosen model's place; a loaded served model tells the API it speaks (Auto asks it)."""
        api = prefs.api or (loaded.api if loaded is not None else None)
        place = place_of(prefs.server, api, prefs.device)
        self.away = place.away
        self.setText("Embedding " + place.short + (" · unencrypted" if place.cleartext else ""))
        self.setToolTip(place.sentence + ("\n" + CLEARTEXT_WARNING if place.cleartext else ""))
        self.setStyleSheet(f"color: {ORANGE if place.cleartext else GREY};")
