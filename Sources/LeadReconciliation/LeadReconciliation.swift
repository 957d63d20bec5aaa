// LeadReconciliation module: see docs/ARCHITECTURE.md.
