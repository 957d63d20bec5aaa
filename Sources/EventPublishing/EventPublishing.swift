// EventPublishing module: see docs/ARCHITECTURE.md.
