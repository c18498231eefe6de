"""The list of pages: app.py builds the navigation from it, and the tests cover every entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under pages/
    url_path: str  # ASCII path in the URL
    title_key: str  # i18n key of its title in the navigation
    icon: str  # a Material icon: drawn from the font Streamlit bundles, no network
    # the least role that may open the page: viewer < analyst < admin (enforced in app.py
    # before the page's script runs, so a direct URL is refused on the server)
    min_role: str = "viewer"


# Order is the order in the navigation; the first is the landing page.
PAGES: Final = (
    PageSpec("pages/home.py", "home", "nav.home", ":material/home:"),
    PageSpec("pages/attainment.py", "attainment", "nav.attainment", ":material/leaderboard:"),
    PageSpec("pages/childcare.py", "childcare", "nav.childcare", ":material/child_care:"),
    PageSpec("pages/training.py", "training", "nav.training", ":material/school:"),
    PageSpec("pages/population.py", "population", "nav.population", ":material/groups:"),
    PageSpec("pages/quality.py", "quality", "nav.quality", ":material/fact_check:"),
    PageSpec("pages/explorer.py", "explorer", "explorer.nav", ":material/pivot_table_chart:", min_role="analyst"),
    PageSpec("pages/console.py", "console", "console.nav", ":material/terminal:", min_role="analyst"),
    PageSpec("pages/imports.py", "imports", "nav.imports", ":material/upload_file:", min_role="analyst"),
    PageSpec("pages/reporting.py", "reporting", "reporting.nav", ":material/assignment_turned_in:", min_role="analyst"),
    PageSpec("pages/users.py", "users", "nav.users", ":material/admin_panel_settings:", min_role="admin"),
)

# Addresses the landing page had before it was served at "/" (a bookmark of /home, or a guess at
# /overview or /index): they open the landing page, as Streamlit would after its English
# "Page not found" dialog, but without the dialog (app.py registers them as hidden detours).
OLD_LANDING_PATHS: Final = ("home", "overview", "index")
