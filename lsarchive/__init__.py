"""lsarchive: a web archive of provincial government news (Lạng Sơn city portal)."""

__version__ = "0.1.0"
