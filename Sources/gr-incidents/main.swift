import ConsumerRuntime
import GRIncidents

// gr-incidents: configuration from the environment (see README / docs/services/gr-incidents.md), then run
// until SIGTERM/SIGINT.
await ConsumerServiceMain.run(serviceName: "gr-incidents") { json in
  GRIncidentsHandler(configuration: try GRIncidentsConfiguration.load(json: json))
}
