import ConsumerRuntime
import LeadReconciliation

// lead-reconciliation: configuration from the environment (see README / docs/services/lead-reconciliation.md), then run
// until SIGTERM/SIGINT.
await ConsumerServiceMain.run(serviceName: "lead-reconciliation") { json in
  LeadReconciliationHandler(configuration: try LeadReconciliationConfiguration.load(json: json))
}
