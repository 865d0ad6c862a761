"""Reading: files and records in, `Article`s out."""
