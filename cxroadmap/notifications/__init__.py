"""Telling people: digests and meeting packs by mail, and signed webhooks; sent by `flask notify`."""
