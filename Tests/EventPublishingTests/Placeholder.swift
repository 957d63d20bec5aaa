// EventPublishingTests
