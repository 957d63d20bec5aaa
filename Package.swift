// swift-tools-version:6.2
// The event backbone: our own NATS + JetStream client, CloudEvents envelopes, the seed
// contracts, the consumer runtime, the four consumer services and the `fleet` admin CLI.
// Dependencies point one way, from the wire up to the executables (see docs/ARCHITECTURE.md).
import PackageDescription

let strict: [SwiftSetting] = [
  .treatAllWarnings(as: .error),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "clinical-event-fleet",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "NATSWire", targets: ["NATSWire"]),
    .library(name: "NATS", targets: ["NATS"]),
    .library(name: "JetStream", targets: ["JetStream"]),
    .library(name: "CloudEvents", targets: ["CloudEvents"]),
    .library(name: "DomainEvents", targets: ["DomainEvents"]),
    .library(name: "EventPublishing", targets: ["EventPublishing"]),
    .library(name: "ConsumerRuntime", targets: ["ConsumerRuntime"]),
    .executable(name: "fleet", targets: ["fleet"]),
    .executable(name: "charge-capture", targets: ["charge-capture"]),
    .executable(name: "care-transitions", targets: ["care-transitions"]),
    .executable(name: "lead-reconciliation", targets: ["lead-reconciliation"]),
    .executable(name: "gr-incidents", targets: ["gr-incidents"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
  ],
  targets: [
    // MARK: wire and client
    .target(
      name: "NATSWire",
      dependencies: [.product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: strict),
    .target(
      name: "NKeys",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strict),
    .target(
      name: "NATS",
      dependencies: [
        "NATSWire", "NKeys",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .target(
      name: "JetStream",
      dependencies: [
        "NATS", "NATSWire",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),

    // MARK: events
    .target(name: "CloudEvents", swiftSettings: strict),
    .target(name: "DomainEvents", dependencies: ["CloudEvents"], swiftSettings: strict),
    .target(
      name: "EventPublishing",
      dependencies: [
        "CloudEvents", "DomainEvents", "JetStream", "NATS", "NATSWire",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      swiftSettings: strict),

    // MARK: consumers
    .target(
      name: "ServiceOperations",
      dependencies: [
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: strict),
    .target(
      name: "ConsumerRuntime",
      dependencies: [
        "CloudEvents", "DomainEvents", "JetStream", "NATS", "NATSWire", "ServiceOperations",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ],
      swiftSettings: strict),
    .target(name: "ChargeCapture", dependencies: serviceDeps, swiftSettings: strict),
    .target(name: "CareTransitions", dependencies: serviceDeps, swiftSettings: strict),
    .target(name: "LeadReconciliation", dependencies: serviceDeps, swiftSettings: strict),
    .target(name: "GRIncidents", dependencies: serviceDeps, swiftSettings: strict),

    // MARK: tools
    .target(name: "StreamTopology", swiftSettings: strict),
    .target(name: "FleetLoad", dependencies: ["DomainEvents", "CloudEvents"], swiftSettings: strict),
    .target(
      name: "FleetReplay",
      dependencies: [
        "JetStream", "NATS", "NATSWire", "CloudEvents", "DomainEvents", "EventPublishing", "StreamTopology",
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: strict),
    .target(
      name: "FleetPerf",
      dependencies: [
        "JetStream", "NATS", "NATSWire", "CloudEvents", "DomainEvents", "EventPublishing", "FleetLoad",
        "ConsumerRuntime", "ChargeCapture", "ServiceOperations",
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ], swiftSettings: strict),
    .target(
      name: "FleetKit",
      dependencies: [
        "NATS", "NATSWire", "JetStream", "CloudEvents", "DomainEvents", "EventPublishing",
        "ConsumerRuntime", "StreamTopology", "ServiceOperations", "FleetLoad", "FleetReplay", "FleetPerf",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "fleet", dependencies: ["FleetKit"], swiftSettings: strict),
    .executableTarget(
      name: "charge-capture", dependencies: ["ConsumerRuntime", "ChargeCapture"], swiftSettings: strict),
    .executableTarget(
      name: "care-transitions", dependencies: ["ConsumerRuntime", "CareTransitions"],
      swiftSettings: strict),
    .executableTarget(
      name: "lead-reconciliation", dependencies: ["ConsumerRuntime", "LeadReconciliation"],
      swiftSettings: strict),
    .executableTarget(
      name: "gr-incidents", dependencies: ["ConsumerRuntime", "GRIncidents"], swiftSettings: strict),

    // MARK: tests
    .target(
      name: "NATSTestSupport",
      dependencies: ["NKeys", .product(name: "Logging", package: "swift-log")],
      path: "Tests/NATSTestSupport", swiftSettings: strict),
    .target(
      name: "FleetTestSupport",
      dependencies: [
        "ConsumerRuntime", "CloudEvents", "DomainEvents", "JetStream", "NATS", "NATSWire", "NATSTestSupport",
        "ServiceOperations", "StreamTopology",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/FleetTestSupport", swiftSettings: strict),
    .testTarget(
      name: "NATSWireTests",
      dependencies: ["NATSWire", .product(name: "NIOTestUtils", package: "swift-nio")],
      swiftSettings: strict),
    .testTarget(name: "NKeysTests", dependencies: ["NKeys"], swiftSettings: strict),
    .testTarget(
      name: "NATSTests",
      dependencies: [
        "NATS", "NATSWire", "NATSTestSupport", .product(name: "NIOEmbedded", package: "swift-nio"),
      ], swiftSettings: strict),
    .testTarget(
      name: "JetStreamTests",
      dependencies: [
        "JetStream", "NATS", "NATSWire", "NATSTestSupport", .product(name: "NIOCore", package: "swift-nio"),
      ],
      swiftSettings: strict),
    .testTarget(name: "CloudEventsTests", dependencies: ["CloudEvents"], swiftSettings: strict),
    .testTarget(
      name: "DomainEventsTests", dependencies: ["DomainEvents", "CloudEvents"],
      resources: [.copy("Fixtures")], swiftSettings: strict),
    .testTarget(
      name: "EventPublishingTests",
      dependencies: [
        "EventPublishing", "NATSTestSupport", "JetStream", "NATS", "NATSWire", "CloudEvents", "DomainEvents",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ConsumerRuntimeTests",
      dependencies: ["ConsumerRuntime", "NATSTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "ServiceOperationsTests", dependencies: ["ServiceOperations"], swiftSettings: strict),
    .testTarget(
      name: "FleetLoadTests", dependencies: ["FleetLoad", "DomainEvents", "CloudEvents"],
      swiftSettings: strict),
    .testTarget(name: "StreamTopologyTests", dependencies: ["StreamTopology"], swiftSettings: strict),
    .testTarget(
      name: "ServicesTests",
      dependencies: [
        "ChargeCapture", "CareTransitions", "LeadReconciliation", "GRIncidents", "ConsumerRuntime",
        "NATSTestSupport", "CloudEvents", "DomainEvents",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: strict),
    .testTarget(
      name: "FleetIntegrationTests",
      dependencies: [
        "ConsumerRuntime", "ChargeCapture", "CareTransitions", "LeadReconciliation", "GRIncidents",
        "DomainEvents", "CloudEvents", "JetStream", "NATS", "NATSWire", "NATSTestSupport", "StreamTopology",
        "ServiceOperations", "FleetTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: strict),
    .testTarget(
      name: "FleetReplayTests",
      dependencies: [
        "FleetReplay", "NATSTestSupport", "JetStream", "NATS", "NATSWire", "CloudEvents", "DomainEvents",
        "EventPublishing", "StreamTopology", "ConsumerRuntime", "ChargeCapture", "ServiceOperations",
        "FleetTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: strict),
    .testTarget(
      name: "FleetPerfTests",
      dependencies: [
        "FleetPerf", "FleetLoad", "NATSTestSupport", "JetStream", "NATS", "DomainEvents", "CloudEvents",
        .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
      ], swiftSettings: strict),
    .testTarget(
      name: "FleetKitTests", dependencies: ["FleetKit", "NATSTestSupport"], swiftSettings: strict),
  ]
)

var serviceDeps: [Target.Dependency] {
  [
    "ConsumerRuntime", "DomainEvents", "CloudEvents",
    .product(name: "GRDB", package: "GRDB.swift"),
    .product(name: "Logging", package: "swift-log"),
  ]
}
