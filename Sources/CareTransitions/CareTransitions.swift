// CareTransitions module: see docs/ARCHITECTURE.md.
