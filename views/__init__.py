"""View models: each page's content as data, one pure function per page.

``views.<page>.view(con, filters) -> <Page>Model`` computes everything a page shows — figures,
statuses, tables, chart data, wording — from a DuckDB connection and the global filters, with
no Streamlit import. The page (``pages/<page>.py``) lays the model out; the meeting pack
(``ui/briefing``) renders the same model to slides; the benchmark times the same function. So a
page's recipe exists once (docs/architecture.md).

Shared by every view: :mod:`views.filters` (the one filters type), :mod:`views.i18n` (the
catalogs, without a session) and :mod:`views.format` (numbers, percentages, changes, gaps).
"""
