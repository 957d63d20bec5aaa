// GRIncidents module: see docs/ARCHITECTURE.md.
