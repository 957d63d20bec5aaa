// DomainEventsTests
