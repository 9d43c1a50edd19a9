"""Helpers of the tests, one copy each: ``http`` (log in, post with the CSRF token),
``documents`` (the demo school's rows, documents through the real workflow API),
``docx`` (reading and building DOCX files), ``pairs`` and ``orders`` (the data of the pairs,
programs and orders), ``kinds`` (the data of the statements), ``database`` (the snapshots the
fixtures start from), ``pages`` (what a page answers, a form refused then submitted),
``statements`` (a statement's draft and signed copy), ``baseline`` (docxtpl uncached)."""
