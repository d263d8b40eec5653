"""Bottom stage: errors, configuration, I/O, CRS, text, tables, schemas, domain words and file-shape validation."""
