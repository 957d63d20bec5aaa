// ChargeCapture module: see docs/ARCHITECTURE.md.
