// FleetKit module: see docs/ARCHITECTURE.md.
