"""Places and geocoding: gazetteer, boundaries, board rules and the geocoder that locates a project."""
