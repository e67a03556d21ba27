"""The exchange: the cxroadmap/1 document (`document`), the spreadsheets (`spreadsheets`), the parts the areas
contribute to both, found in their order (`parts`), the files handed out (`downloads`), the background work
(`jobs`) and the pages (`views`)."""


def load(area) -> None:
    from cxroadmap.exchange.views import bp

    area.blueprints(bp)
