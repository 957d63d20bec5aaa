// FleetKitTests
