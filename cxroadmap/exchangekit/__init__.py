"""The machinery of the cxroadmap/1 document and the workbook, below the areas: reading a document's values with
their JSON paths (reading), the part an area contributes (parts), writing sheets (sheets) and reading a
spreadsheet's cells (cells). The exchange area assembles the document, its import, the workbook, the list
downloads and the spreadsheet import from the contributions and names no area; each area keeps its part in
`<area>/exchange.py`.
"""
