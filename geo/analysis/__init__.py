"""Analysis: the view state and its URL codec, filters and statistics over located projects."""
