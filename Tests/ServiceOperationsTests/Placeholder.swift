// ServiceOperationsTests
