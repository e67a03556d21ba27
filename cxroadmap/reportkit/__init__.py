"""The PDF reports' machinery, below the areas so that an area can draw its own documents with it: the document
template with its cover, contents and numbered pages (document), the one stylesheet (styles), the fixed texts
(labels) and the renderer with its tables and escaping (renderer). It is not an area: the documents are the
areas' own, and the reports area lists, issues and downloads those the areas contribute."""
