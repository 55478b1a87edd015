"""paperhouse: research-paper feeds into a DuckDB warehouse of papers, repos and claims."""
__version__ = "0.1.0"
