"""What on a web page is the site's furniture rather than the page's content.

Found by the markup's own words for it: roles (navigation, banner, contentinfo, search,
complementary), the <nav> element, and class or id tokens that documentation generators use for
their chrome (Sphinx, Apache's manual, SQLite's pages, DocBook's navheader/navfooter, common CMS
themes). Never dropped: a heading (Apache's <h2 id="related"> is content), a note or footnote, a
sidebar inside the main element (Sphinx's ".. sidebar::"), or a container that holds more than
GUARD of the page's words (a theme that wraps the whole article in class="page-header").
"""

from __future__ import annotations

from typing import Any

INVISIBLE = frozenset(
    "script style noscript template head svg iframe object embed canvas form button input select textarea "
    "nav dialog map".split()
)
_CONTENT = frozenset("admonition footnote footnotes footnote-list note warning tip topic".split())
_FURNITURE = frozenset(
    """nav navbar navigation navheader navfooter nav-content mobile-nav menu mainmenu submenu searchmenu
    menu-wrapper sidebar sphinxsidebar sphinxsidebarwrapper leftsidebar breadcrumb breadcrumbs footer
    site-footer page-header site-header masthead toc fancy_toc toplang bottomlang quickview tagline logo
    skip-link skiplink headerlink permalink cookie-banner share social edit-this-page prev-next search
    searchbox version_switcher_placeholder language_switcher_placeholder""".split()
)
_FURNITURE_IDS = frozenset(("path",))  # Apache's breadcrumb ("path" as a class is too common to trust)
_ROLES = frozenset(("navigation", "banner", "contentinfo", "search", "complementary"))
_HEADINGS = frozenset(f"h{i}" for i in range(1, 7))
GUARD = 0.3


def _classes(tag: Any) -> set[str]:
    cls = tag.get("class")
    if not cls:
        return set()
    return {c.lower() for c in (cls if isinstance(cls, list) else str(cls).split())}


def _in_main(tag: Any) -> bool:
    return (
        tag.find_parent(lambda t: t.name in ("main", "article") or (t.get("role") or "").lower() == "main") is not None
    )


def is_furniture(tag: Any) -> bool:
    if tag.name in INVISIBLE:
        return True
    if tag.name in _HEADINGS:
        return False
    classes = _classes(tag)
    role = (tag.get("role") or "").lower()
    if classes & _CONTENT or role in ("note", "doc-footnote", "doc-endnotes"):
        return False
    if tag.name == "aside" or "sidebar" in classes:
        return not _in_main(tag)
    if role in _ROLES:
        return True
    ident = (tag.get("id") or "").lower()
    if ident in _FURNITURE or ident in _FURNITURE_IDS or classes & _FURNITURE:
        return True
    # A page's own <header> (logo, site menu) is furniture; an article's or a section's, holding its
    # heading, is content.
    return tag.name == "header" and tag.find(list(_HEADINGS)) is None and not _in_main(tag)


def drop_furniture(root: Any) -> None:
    """Remove the furniture under `root` in place (outermost first), keeping big containers (GUARD)."""
    total = max(1, len(root.get_text(" ").split()))
    doomed = []
    for tag in root.find_all(True):
        if (
            tag.name in INVISIBLE
            or is_furniture(tag)
            and (tag.name in ("nav", "aside") or len(tag.get_text(" ").split()) <= GUARD * total)
        ):
            doomed.append(tag)
    for tag in doomed:
        if tag.parent is not None:  # not already gone with an ancestor
            tag.decompose()
