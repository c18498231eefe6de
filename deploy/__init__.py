"""Serving the dashboard to many readers: Streamlit replicas behind HAProxy (``python -m deploy``),
and the service files for a server (``deploy/systemd/``). See docs/deployment.md."""
