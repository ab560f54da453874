//! Querying: the query language, accent routing, filters, search and snippets.
