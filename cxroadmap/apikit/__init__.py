"""The JSON API's machinery, below the areas so that every area can declare its own operations with it: tokens
(auth), problem documents (problems), the schema building blocks (schemas), operations and the OpenAPI document
(spec), and what resources share (paging, entity tags, URLs). It is not an area: the api area routes and
describes what the areas contribute."""
