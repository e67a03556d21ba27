"""The organisation's spreadsheets: the workbook of the sheets the areas contribute (workbook), the tables read out
of an uploaded XLSX or CSV file (files), and importing them through the part that gives the import (importing)."""
