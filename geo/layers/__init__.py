"""Planning layers: project features, the derived layers and geocoding a user's list."""
