"""What a re-embed under way is for, as the progress panel and the status bar say it: another model, late
chunking switched on or off, or both (core/indexing/reembed.py stages each the same way)."""

from __future__ import annotations

from ..core.config import Settings
from ..core.library import LibraryStatus
from ..core.policy import served_name
from .status_where import model_name


def reembed_words(st: LibraryStatus, settings: Settings | None = None) -> str:
    """'with late chunking', 'without late chunking', 'with MODEL', 'with MODEL and late chunking', …;
    "" when nothing says what changes. What is staged (`st.switch`) says it best; before the status
    has caught up with a run that has just begun staging, the run's own `settings` say it."""
    if st.switch is not None:
        model, recipe = st.switch.model, st.switch.recipe
    elif settings is not None:
        model, recipe = settings.model_key, settings.recipe or st.recipe
    else:
        return ""
    new_model = model_name(served_name(model) or model) if model != st.model else None
    late = None if recipe is None or st.recipe is None or recipe.key == st.recipe.key else recipe.late
    if new_model is None:
        return "" if late is None else "with late chunking" if late else "without late chunking"
    if late is None:
        return f"with {new_model}"
    return f"with {new_model} and late chunking" if late else f"with {new_model}, without late chunking"
