"""Serve the chat for the browser tests: `python tests/ui_server.py PORT` with HOIDAP_* settings from the test."""

import sys

from rag.config import Settings

if __name__ == "__main__":
    import ui

    settings = Settings(_env_file=None)
    settings.ui.port = int(sys.argv[1])
    ui.main(settings)
