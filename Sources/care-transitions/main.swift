import CareTransitions
import ConsumerRuntime

// care-transitions: configuration from the environment (see README / docs/services/care-transitions.md), then run
// until SIGTERM/SIGINT.
await ConsumerServiceMain.run(serviceName: "care-transitions") { json in
  CareTransitionsHandler(configuration: try CareTransitionsConfiguration.load(json: json))
}
