// JetStreamTests
