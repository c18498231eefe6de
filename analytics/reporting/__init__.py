"""The monthly reporting cycle (issue 23): county templates, who has reported, approval and the lock.

states.py    the states of a county month and who may move it (DHIS2-style approve / accept / return)
store.py     the state in a transactional database: SQLite beside the data root, or PostgreSQL by setting
cycle.py     counties, deadlines and the chase list; the lock an import checks; held-back figures
template.py  the Excel template of a county month and reading it back by its layout
cli.py       python -m analytics.reporting …
"""
