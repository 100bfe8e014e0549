"""Commands: the gazette CLI, the dev server, the warm build process, staging and publish."""
