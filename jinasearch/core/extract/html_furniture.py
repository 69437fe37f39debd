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


def _classes(el: Any) -> set[str]:
    return {c.lower() for c in (el.get("class") or "").split()}


def _in_main(el: Any) -> bool:
    return any(a.tag in ("main", "article") or (a.get("role") or "").lower() == "main" for a in el.iterancestors())


def _words(el: Any) -> int:
    # Joined with spaces, as a reader counts them: "<li>a</li><li>b</li>" is two words.
    return len(" ".join(el.itertext()).split())


def is_furniture(el: Any) -> bool:
    tag = el.tag
    if tag in INVISIBLE:
        return True
    if tag in _HEADINGS:
        return False
    classes = _classes(el)
    role = (el.get("role") or "").lower()
    if classes & _CONTENT or role in ("note", "doc-footnote", "doc-endnotes"):
        return False
    if tag == "aside" or "sidebar" in classes:
        return not _in_main(el)
    if role in _ROLES:
        return True
    ident = (el.get("id") or "").lower()
    if ident in _FURNITURE or ident in _FURNITURE_IDS or classes & _FURNITURE:
        return True
    # A page's own <header> (logo, site menu) is furniture; an article's or a section's, holding its
    # heading, is content.
    return tag == "header" and not any(d.tag in _HEADINGS for d in el.iterdescendants()) and not _in_main(el)


def drop_furniture(root: Any) -> None:
    """Remove the furniture under `root` in place (outermost first), keeping big containers (GUARD).

    An element's tail (the text after it) belongs to its parent and stays (lxml's drop_tree)."""
    total = max(1, _words(root))
    doomed = [
        el
        for el in root.iterdescendants()
        if isinstance(el.tag, str)  # comments and processing instructions are skipped when writing
        and is_furniture(el)
        and (el.tag in INVISIBLE or el.tag in ("nav", "aside") or _words(el) <= GUARD * total)
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
