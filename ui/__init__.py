"""Streamlit helpers of the ContactGuard dashboard: cached resources, rendering, admin login."""
