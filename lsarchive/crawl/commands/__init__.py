"""Scrapy commands of this project (COMMANDS_MODULE): they replace Scrapy's own
of the same name when run from the repository root."""
