"""The cxroadmap/1 JSON document: written from the areas' parts (export), read and checked whole before one write
(importer, bulk), or replacing an organisation's contents (replace)."""
