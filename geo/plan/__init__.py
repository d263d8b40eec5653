"""Reading the plan: boxes, indicators, spatial layout and sectors from the plan text."""
