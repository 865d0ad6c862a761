"""The graph: vocabulary, RDF mapping, merging of reports, stores, queries and exports."""
